"""``tf.raw_ops``: TF's ops called by name, with keyword arguments only (TF's op-def input and attr names).

Explicit wrappers (``_wrappers``) map an op's attrs onto featherflow's public functions; every other registered
op whose forward takes exactly its op def's tensor inputs, and no attrs, is exposed by ``__getattr__`` as a
generic wrapper over the registry's dispatcher (``_generic``). ``dir(tf.raw_ops)`` lists both.

>>> import featherflow as tf
>>> tf.raw_ops.AddV2(x=1.0, y=2.0).numpy()
np.float32(3.0)
>>> tf.raw_ops.Bucketize(input=[1.0, 5.0], boundaries=[2.0]).numpy().tolist()
[0, 1]
"""

# (no ``typing`` names here: ``Any`` and ``All`` are ops of this namespace)
from ._generic import generic_names, make_generic
from ._wrappers import EXPLICIT

globals().update(EXPLICIT)
_EXPLICIT = frozenset(EXPLICIT)


def __getattr__(name: str) -> object:
    if name in generic_names(_EXPLICIT):
        fn = make_generic(name)
        globals()[name] = fn
        return fn
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(EXPLICIT) | generic_names(_EXPLICIT))
