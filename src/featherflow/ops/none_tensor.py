"""``tf.NoneTensorSpec``: the TypeSpec of ``None`` where a structure of values holds one (a ``None`` loop
variable, an optional component), with no components; ``NoneTensor`` is its (empty) value type.

>>> import featherflow as tf
>>> tf.NoneTensorSpec()
NoneTensorSpec()
>>> tf.type_spec_from_value(None) == tf.NoneTensorSpec()
True
"""

from __future__ import annotations

from typing import Any

from ..tensor_spec import TypeSpec


class NoneTensor:
    """The composite-tensor form of ``None`` (TF's ``NoneTensor``)."""

    __slots__ = ()

    @property
    def _type_spec(self) -> NoneTensorSpec:
        return NoneTensorSpec()


class NoneTensorSpec(TypeSpec):
    """Type specification for a ``None`` value: compatible with ``None`` and with other NoneTensorSpecs only."""

    __slots__ = ()

    @property
    def value_type(self) -> type:
        """``NoneTensor``."""
        return NoneTensor

    @staticmethod
    def from_value(value: Any) -> NoneTensorSpec:
        """The spec of ``None``."""
        return NoneTensorSpec()

    def _serialize(self) -> tuple:
        return ()

    @property
    def _component_specs(self) -> list:
        return []

    def _to_components(self, value: Any) -> list:
        return []

    def _from_components(self, components: Any) -> None:
        return None

    def _to_tensor_list(self, value: Any) -> list:
        return []

    def _to_batched_tensor_list(self, value: Any) -> list:
        return []

    def _batch(self, batch_size: Any) -> NoneTensorSpec:
        return NoneTensorSpec()

    def _unbatch(self) -> NoneTensorSpec:
        return NoneTensorSpec()

    def _to_legacy_output_types(self) -> NoneTensorSpec:
        return self

    def _to_legacy_output_shapes(self) -> NoneTensorSpec:
        return self

    def _to_legacy_output_classes(self) -> NoneTensorSpec:
        return self

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether ``spec_or_value`` is None, a NoneTensor or a NoneTensorSpec."""
        return spec_or_value is None or type(spec_or_value) in (NoneTensorSpec, NoneTensor)

    def is_subtype_of(self, other: Any) -> bool:
        """Whether ``other`` is a NoneTensorSpec."""
        return type(other) is NoneTensorSpec

    def most_specific_common_supertype(self, others: Any) -> NoneTensorSpec | None:
        """This spec when every one of ``others`` is a NoneTensorSpec, else None."""
        return self if all(type(o) is NoneTensorSpec for o in others) else None

    def most_specific_compatible_type(self, other: Any) -> NoneTensorSpec:
        """This spec; ValueError for any other kind of spec."""
        return self.most_specific_compatible_shape(other)

    def most_specific_compatible_shape(self, other: Any) -> NoneTensorSpec:
        """This spec; ValueError for any other kind of spec."""
        if type(self) is not type(other):
            raise ValueError(f"No `TypeSpec` is compatible with both {self} and {other}")
        return self

    def __eq__(self, other: Any) -> bool:
        return type(other) is NoneTensorSpec

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(NoneTensorSpec)

    def __repr__(self) -> str:
        return "NoneTensorSpec()"

    def __reduce__(self) -> tuple:
        return (NoneTensorSpec, ())
