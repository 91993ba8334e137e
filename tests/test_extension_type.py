"""TF's extension type guide (tensorflow/docs site/en/guide/extension_type.ipynb): its code cells run in order under
real TensorFlow and under featherflow, and each prints the same text (errors: the same type and message); then
targeted cases of ``tf.experimental.ExtensionType`` compared with TF the same way.

A cell whose last line is an expression the notebook displays prints ``repr()`` of it here. Left out: the Keras
cells (models over extension types: Keras 3 has no ``Input(type_spec=...)``), the SavedModel cells (featherflow
does not write SavedModels), and the cell printing inside a traced body with an ``input_signature`` (TF prints
graph tensors there).
"""

from __future__ import annotations

import linecache

import featherflow as ff
from tests._cells import run_cells

SETUP = """
import numpy as np
from typing import Tuple, List, Mapping, Union, Optional
"""

GUIDE = [
    # Extension types
    """
class TensorGraph(tf.experimental.ExtensionType):
  \"\"\"A collection of labeled nodes connected by weighted edges.\"\"\"
  edge_weights: tf.Tensor               # shape=[num_nodes, num_nodes]
  node_labels: Mapping[str, tf.Tensor]  # shape=[num_nodes]; dtype=any

class MaskedTensor(tf.experimental.ExtensionType):
  \"\"\"A tensor paired with a boolean mask, indicating which values are valid.\"\"\"
  values: tf.Tensor
  mask: tf.Tensor       # shape=values.shape; false for missing/invalid values.

class CSRSparseMatrix(tf.experimental.ExtensionType):
  \"\"\"Compressed sparse row matrix (https://en.wikipedia.org/wiki/Sparse_matrix).\"\"\"
  values: tf.Tensor     # shape=[num_nonzero]; dtype=any
  col_index: tf.Tensor  # shape=[num_nonzero]; dtype=int64
  row_index: tf.Tensor  # shape=[num_rows+1]; dtype=int64
""",
    # Mutability
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

  def replace_mask(self, new_mask):
      self.values.shape.assert_is_compatible_with(new_mask.shape)
      return MaskedTensor(self.values, new_mask)
""",
    # Constructor
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

# Constructor takes one parameter for each field.
mt = MaskedTensor(values=[[1, 2, 3], [4, 5, 6]],
                  mask=[[True, True, False], [True, False, True]])

# Fields are type-checked and converted to the declared types.
# E.g., mt.values is converted to a Tensor.
print(mt.values)
""",
    """
try:
  MaskedTensor([1, 2, 3], None)
except TypeError as e:
  print(f"Got expected TypeError: {e}")
""",
    """
class Pencil(tf.experimental.ExtensionType):
  color: str = "black"
  has_erasor: bool = True
  length: tf.Tensor = 1.0

print(repr(Pencil()))
""",
    'print(repr(Pencil(length=0.5, color="blue")))',
    # Printable representation
    "print(MaskedTensor(values=[1, 2, 3], mask=[True, True, False]))",
    # Equality operators
    """
a = MaskedTensor([1, 2], [True, False])
b = MaskedTensor([[3, 4], [5, 6]], [[False, True], [True, True]])
print(f"a == a: {a==a}")
print(f"a == b: {a==b}")
print(f"a == a.values: {a==a.values}")
""",
    # Validation method
    """
class MaskedTensor(tf.experimental.ExtensionType):
  \"\"\"A tensor paired with a boolean mask, indicating which values are valid.\"\"\"
  values: tf.Tensor
  mask: tf.Tensor
  def __validate__(self):
    self.values.shape.assert_is_compatible_with(self.mask.shape)
    assert self.mask.dtype.is_bool, 'mask.dtype must be bool'
""",
    """
try:
  MaskedTensor([1, 2, 3], [0, 1, 0])  # wrong dtype for mask.
except AssertionError as e:
  print(f"Got expected AssertionError: {e}")
""",
    """
try:
  MaskedTensor([1, 2, 3], [True, False])  # shapes don't match.
except ValueError as e:
  print(f"Got expected ValueError: {e}")
""",
    # Enforced immutability
    "mt = MaskedTensor([1, 2, 3], [True, False, True])",
    """
try:
  mt.mask = [True, True, True]
except AttributeError as e:
  print(f"Got expected AttributeError: {e}")
""",
    """
try:
  mt.mask[0] = False
except TypeError as e:
  print(f"Got expected TypeError: {e}")
""",
    """
try:
  del mt.mask
except AttributeError as e:
  print(f"Got expected AttributeError: {e}")
""",
    # Nested TypeSpec
    """
class Player(tf.experimental.ExtensionType):
  name: tf.Tensor
  attributes: Mapping[str, tf.Tensor]

anne = Player("Anne", {"height": 8.3, "speed": 28.1})
anne_spec = tf.type_spec_from_value(anne)
print(anne_spec.name)  # Records dtype and shape, but not the string value.
print(anne_spec.attributes)  # Records keys and TensorSpecs for values.
""",
    """
spec1 = Player.Spec(name=tf.TensorSpec([], tf.float32), attributes={})
spec2 = tf.type_spec_from_value(anne)
""",
    """
@tf.function
def anonymize_player(player):
  print("<<TRACING>>")
  return Player("<anonymous>", player.attributes)
""",
    """
# Function gets traced (first time the function has been called):
print(repr(anonymize_player(Player("Anne", {"height": 8.3, "speed": 28.1}))))
""",
    """
# Function does NOT get traced (same TypeSpec: just tensor values changed)
print(repr(anonymize_player(Player("Bart", {"height": 8.1, "speed": 25.3}))))
""",
    """
# Function gets traced (new TypeSpec: keys for attributes changed):
print(repr(anonymize_player(Player("Chuck", {"height": 11.0, "jump": 5.3}))))
""",
    # Overriding the default printable representation
    """
class MaskedTensor(tf.experimental.ExtensionType):
  \"\"\"A tensor paired with a boolean mask, indicating which values are valid.\"\"\"
  values: tf.Tensor
  mask: tf.Tensor       # shape=values.shape; false for invalid values.

  def __repr__(self):
    return masked_tensor_str(self.values, self.mask)

def masked_tensor_str(values, mask):
  if isinstance(values, tf.Tensor):
    if hasattr(values, 'numpy') and hasattr(mask, 'numpy'):
      return f'<MaskedTensor {masked_tensor_str(values.numpy(), mask.numpy())}>'
    else:
      return f'MaskedTensor(values={values}, mask={mask})'
  if len(values.shape) == 1:
    items = [repr(v) if m else '_' for (v, m) in zip(values, mask)]
  else:
    items = [masked_tensor_str(v, m) for (v, m) in zip(values, mask)]
  return '[%s]' % ', '.join(items)

mt = MaskedTensor(values=[[1, 2, 3], [4, 5, 6]],
                  mask=[[True, True, False], [True, False, True]])
print(mt)
""",
    # Defining methods
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

  def with_default(self, default):
    return tf.where(self.mask, self.values, default)

print(repr(MaskedTensor([1, 2, 3], [True, False, True]).with_default(0)))
""",
    # Defining classmethods and staticmethods
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

  def __repr__(self):
    return masked_tensor_str(self.values, self.mask)

  @staticmethod
  def from_tensor_and_value_to_mask(values, value_to_mask):
    return MaskedTensor(values, values == value_to_mask)

x = tf.constant([[1, 0, 2], [3, 0, 0]])
print(repr(MaskedTensor.from_tensor_and_value_to_mask(x, 0)))
""",
    # Defining properties
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

  @property
  def dtype(self):
    return self.values.dtype

print(repr(MaskedTensor([1, 2, 3], [True, False, True]).dtype))
""",
    # Overriding the default constructor
    """
class Toy(tf.experimental.ExtensionType):
  name: str
  price: tf.Tensor
  def __init__(self, name, price, discount=0):
    self.name = name
    self.price = price * (1 - discount)

print(Toy("ball", 5.0, discount=0.2))  # On sale -- 20% off!
""",
    """
class Toy(tf.experimental.ExtensionType):
  name: str
  price: tf.Tensor

  @staticmethod
  def new_toy_with_discount(name, price, discount):
    return Toy(name, price * (1 - discount))

print(Toy.new_toy_with_discount("ball", 5.0, discount=0.2))
""",
    # Overriding the default equality operator
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

  def __repr__(self):
    return masked_tensor_str(self.values, self.mask)

  def __eq__(self, other):
    result = tf.math.equal(self.values, other.values)
    result = result | ~(self.mask & other.mask)
    return tf.reduce_all(result)

x = MaskedTensor([1, 2, 3, 4], [True, True, False, True])
y = MaskedTensor([5, 2, 0, 4], [False, True, False, True])
print(x == y)
""",
    # Using forward references
    """
class Node(tf.experimental.ExtensionType):
  value: tf.Tensor
  children: Tuple["Node", ...] = ()

print(repr(Node(3, [Node(5), Node(2)])))
""",
    # Defining subclasses
    """
class TensorGraph(tf.experimental.ExtensionType):
  num_nodes: tf.Tensor
  edge_src: tf.Tensor   # edge_src[e] = index of src node for edge e.
  edge_dst: tf.Tensor   # edge_dst[e] = index of dst node for edge e.

class TensorGraphWithNodeFeature(TensorGraph):
  node_features: tf.Tensor  # node_features[n] = feature value for node n.

  def propagate_features(self, weight=1.0) -> 'TensorGraphWithNodeFeature':
    updates = tf.gather(self.node_features, self.edge_src) * weight
    new_node_features = tf.tensor_scatter_nd_add(
        self.node_features, tf.expand_dims(self.edge_dst, 1), updates)
    return TensorGraphWithNodeFeature(
        self.num_nodes, self.edge_src, self.edge_dst, new_node_features)

g = TensorGraphWithNodeFeature(  # Edges: 0->1, 4->3, 2->2, 2->1
    num_nodes=5, edge_src=[0, 4, 2, 2], edge_dst=[1, 3, 2, 1],
    node_features=[10.0, 0.0, 2.0, 5.0, -1.0, 0.0])

print("Original features:", g.node_features)
print("After propagating:", g.propagate_features().node_features)
""",
    # Customizing the ExtensionType's TypeSpec
    """
class MaskedTensor(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

  shape = property(lambda self: self.values.shape)
  dtype = property(lambda self: self.values.dtype)

  def __repr__(self):
    return masked_tensor_str(self.values, self.mask)

  def with_values(self, new_values):
    return MaskedTensor(new_values, self.mask)

  class Spec:
    def __init__(self, shape, dtype=tf.float32):
      self.values = tf.TensorSpec(shape, dtype)
      self.mask = tf.TensorSpec(shape, tf.bool)

    def __repr__(self):
      return f"MaskedTensor.Spec(shape={self.shape}, dtype={self.dtype})"

    shape = property(lambda self: self.values.shape)
    dtype = property(lambda self: self.values.dtype)
""",
    # Tensor API dispatch
    """
@tf.experimental.dispatch_for_api(tf.stack)
def masked_stack(values: List[MaskedTensor], axis = 0):
  return MaskedTensor(tf.stack([v.values for v in values], axis),
                      tf.stack([v.mask for v in values], axis))
""",
    """
x = MaskedTensor([1, 2, 3], [True, True, False])
y = MaskedTensor([4, 5, 6], [False, True, True])
print(repr(tf.stack([x, y])))
""",
    # left out: tf.experimental.unregister_dispatch_for (dispatch is not part of this module)
    """
@tf.experimental.dispatch_for_unary_elementwise_apis(MaskedTensor)
def masked_tensor_unary_elementwise_api_handler(api_func, x):
  return MaskedTensor(api_func(x.values), x.mask)
""",
    """
x = MaskedTensor([1, -2, -3], [True, False, True])
print(tf.abs(x))
""",
    # left out: tf.ones_like(MaskedTensor): featherflow's ones_like does not dispatch yet
    """
@tf.experimental.dispatch_for_binary_elementwise_apis(MaskedTensor, MaskedTensor)
def masked_tensor_binary_elementwise_api_handler(api_func, x, y):
  return MaskedTensor(api_func(x.values, y.values), x.mask & y.mask)
""",
    """
x = MaskedTensor([1, -2, -3], [True, False, True])
y = MaskedTensor([[4], [5]], [[True], [False]])
print(repr(tf.math.add(x, y)))
""",
    # Batchable ExtensionTypes
    """
class Network(tf.experimental.ExtensionType):  # This version is not batchable.
  work: tf.Tensor       # work[n] = work left to do at node n
  bandwidth: tf.Tensor  # bandwidth[n1, n2] = bandwidth from n1->n2

net1 = Network([5., 3, 8], [[0., 2, 0], [2, 0, 3], [0, 3, 0]])
net2 = Network([3., 4, 2], [[0., 2, 2], [2, 0, 2], [2, 2, 0]])
""",
    """
class Network(tf.experimental.BatchableExtensionType):
  shape: tf.TensorShape  # batch shape.  A single network has shape=[].
  work: tf.Tensor        # work[*shape, n] = work left to do at node n
  bandwidth: tf.Tensor   # bandwidth[*shape, n1, n2] = bandwidth from n1->n2

  def __init__(self, work, bandwidth):
    self.work = tf.convert_to_tensor(work)
    self.bandwidth = tf.convert_to_tensor(bandwidth)
    work_batch_shape = self.work.shape[:-1]
    bandwidth_batch_shape = self.bandwidth.shape[:-2]
    self.shape = work_batch_shape.merge_with(bandwidth_batch_shape)

  def __repr__(self):
    return network_repr(self)

def network_repr(network):
  work = network.work
  bandwidth = network.bandwidth
  if hasattr(work, 'numpy'):
    work = ' '.join(str(work.numpy()).split())
  if hasattr(bandwidth, 'numpy'):
    bandwidth = ' '.join(str(bandwidth.numpy()).split())
  return (f"<Network shape={network.shape} work={work} bandwidth={bandwidth}>")
""",
    """
net1 = Network([5., 3, 8], [[0., 2, 0], [2, 0, 3], [0, 3, 0]])
net2 = Network([3., 4, 2], [[0., 2, 2], [2, 0, 2], [2, 2, 0]])
batch_of_networks = Network(
    work=tf.stack([net1.work, net2.work]),
    bandwidth=tf.stack([net1.bandwidth, net2.bandwidth]))
print(f"net1={net1}")
print(f"net2={net2}")
print(f"batch={batch_of_networks}")
""",
    """
dataset = tf.data.Dataset.from_tensor_slices(batch_of_networks)
for i, network in enumerate(dataset):
  print(f"Batch element {i}: {network}")
""",
    """
def balance_work_greedy(network):
  delta = (tf.expand_dims(network.work, -1) - tf.expand_dims(network.work, -2))
  delta /= 4
  delta = tf.maximum(tf.minimum(delta, network.bandwidth), -network.bandwidth)
  new_work = network.work + tf.reduce_sum(delta, -1)
  return Network(new_work, network.bandwidth)

print(repr(tf.map_fn(balance_work_greedy, batch_of_networks)))
""",
    # @tf.function
    """
class Pastry(tf.experimental.ExtensionType):
  sweetness: tf.Tensor  # 2d embedding that encodes sweetness
  chewiness: tf.Tensor  # 2d embedding that encodes chewiness

@tf.function
def combine_pastry_features(x: Pastry):
  return (x.sweetness + x.chewiness) / 2

cookie = Pastry(sweetness=[1.2, 0.4], chewiness=[0.8, 0.2])
print(repr(combine_pastry_features(cookie)))
""",
    """
pastry_spec = Pastry.Spec(tf.TensorSpec([2]), tf.TensorSpec(2))

@tf.function(input_signature=[pastry_spec])
def increase_sweetness(x: Pastry, delta=1.0):
  return Pastry(x.sweetness + delta, x.chewiness)

print(repr(increase_sweetness(cookie)))
""",
    """
cf = combine_pastry_features.get_concrete_function(pastry_spec)
print(repr(cf(cookie)))
""",
    # Control flow operations
    """
# Example: using tf.cond to select between two MaskedTensors.  Note that the
# two MaskedTensors don't need to have the same shape.
a = MaskedTensor([1., 2, 3], [True, False, True])
b = MaskedTensor([22., 33, 108, 55], [True, True, True, False])
condition = tf.constant(True)
print(tf.cond(condition, lambda: a, lambda: b))
""",
    """
# Example: using tf.while_loop with MaskedTensor.
cond = lambda i, _: i < 10
def body(i, mt):
  return i + 1, mt.with_values(mt.values + 3 / 7)
print(tf.while_loop(cond, body, [0, b])[1])
""",
    # Autograph control flow
    """
@tf.function
def fn(x, b):
  if b:
    x = MaskedTensor(x, tf.less(x, 0))
  else:
    x = MaskedTensor(x, tf.greater(x, 0))
  for i in tf.range(5 if b else 7):
    x = x.with_values(x.values + 1 / 2)
  return x

print(fn(tf.constant([1., -2, 3]), tf.constant(True)))
print(fn(tf.constant([1., -2, 3]), tf.constant(False)))
""",
    # Datasets
    """
ds = tf.data.Dataset.from_tensors(Pastry(5, 5))
print(repr(iter(ds).next()))
""",
    # left out: from_tensor_slices of a MaskedTensor that is not batchable (TF raises an internal AttributeError)
    """
def value_gen():
  for i in range(2, 7):
    yield MaskedTensor(range(10), [j%i != 0 for j in range(10)])

ds = tf.data.Dataset.from_generator(
    value_gen, output_signature=MaskedTensor.Spec(shape=[10], dtype=tf.int32))
for value in ds:
  print(value)
""",
    # left out: batch()/unbatch() of a dataset of non-batchable MaskedTensors (TF raises an internal AttributeError)
]


# Targeted cases, as a user writes them: each prints (or raises) the same under both libraries.
CASES = [
    """
class MT(tf.experimental.ExtensionType):
  values: tf.Tensor
  mask: tf.Tensor

class Rec(tf.experimental.ExtensionType):
  name: tf.Tensor
  attributes: Mapping[str, tf.Tensor]
  count: Optional[int] = None
  sizes: Tuple[int, ...] = (1, 2)
  pair: Tuple[int, str] = (0, "a")
  num: Union[int, float] = 1
  shape: tf.TensorShape = None
  dtype: tf.DType = tf.float32
  label: str = "r"

r = Rec("x", {"b": 2.0, "a": [1, 2]}, shape=[2, None], dtype="int64")
print(r)
print(r._type_spec)
print(type(r.attributes).__name__, dict(r.attributes) == {"b": r.attributes["b"], "a": r.attributes["a"]})
""",
    """
for make in [lambda: MT([1, 2, 3], None), lambda: Rec(3, {}), lambda: Rec("a", {1: 2.0}),
             lambda: Rec("a", {}, count="x"), lambda: Rec("a", {}, sizes=[1, "a"]), lambda: Rec("a", {}, sizes=5),
             lambda: Rec("a", {}, pair=(1,)), lambda: Rec("a", {}, pair=(1, 2)), lambda: Rec("a", {}, num="1"),
             lambda: Rec("a", {}, shape=1.5), lambda: Rec("a", {}, dtype=[1]), lambda: Rec("a", {}, label=None),
             lambda: Rec("a", []), lambda: MT(1), lambda: MT(1, 2, 3), lambda: MT(1, 2, x=3),
             lambda: MT([1, 2], [object()]), lambda: tf.experimental.ExtensionType()]:
  try:
    print(make())
  except Exception as e:
    print(type(e).__name__, e)
""",
    """
class Kw(tf.experimental.ExtensionType):
  a: int
  b: int = 1
  c: int
print(Kw(1, c=3))
try:
  Kw(1, 2, 3)
except TypeError as e:
  print(e)
import inspect
print(inspect.signature(Kw.__init__))
print(inspect.signature(Kw.Spec.__init__))
""",
    """
for body in ["x: list", "x: List[int]", "x: Mapping[tf.Tensor, int]", "x: int = 'a'", "_type_spec: int",
             "Spec = 3", "y = 3", "_tf_extension_type_x: int", "x: Tuple[int, object]"]:
  try:
    exec(f"class Bad(tf.experimental.ExtensionType):\\n  {body}", {"tf": tf, "List": List, "Mapping": Mapping,
                                                                   "Tuple": Tuple})
    print("ok")
  except Exception as e:
    print(type(e).__name__, e)
""",
    """
m = MT([1, 2], [True, False])
for action in ["m.values = 1", "del m.values", "m.other = 1", "m.other", "m._type_spec.values = 1",
               "del m._type_spec.mask", "hash(m)", "m[0]"]:
  try:
    exec(action, {"m": m})
    print("ok")
  except Exception as e:
    print(type(e).__name__, e)
""",
    """
a = MT([1, 2], [True, False]); c = MT([1, 2], [True, True]); d = MT([1, 2, 3], [True, True, False])
e = MT([1.0, 2], [True, False])
print(a == a, a == c, a != c, a == d, a != d, a == e, a == 1, a != "x")
class Name(tf.experimental.ExtensionType):
  n: str
try:
  print(Name("a") == Name("a"))
except Exception as err:
  print(type(err).__name__)
print(Name("a") == Name("b"), Name("a") != Name("b"))
""",
    """
spec = MT.Spec(values=tf.TensorSpec([2], tf.int32), mask=tf.TensorSpec([2], tf.bool))
print(spec, spec == a._type_spec, spec != a._type_spec, hash(spec) == hash(a._type_spec))
print(spec.value_type.__name__, type(spec).__name__, type(spec).__qualname__, isinstance(spec, tf.TypeSpec))
print(isinstance(spec, tf.experimental.ExtensionTypeSpec), isinstance(a, tf.experimental.ExtensionType))
print(spec.is_compatible_with(a), spec.is_compatible_with(d), spec.is_compatible_with(e), spec.is_compatible_with(1))
print(spec.most_specific_common_supertype([d._type_spec]))
print(spec.most_specific_common_supertype([e._type_spec]))
print(spec._component_specs)
print(tf.type_spec_from_value(d) == MT.Spec.from_value(d))
for args in [(1, 2), (tf.TensorSpec([2]),), ]:
  try:
    print(MT.Spec(*args))
  except Exception as err:
    print(type(err).__name__, err)
print(Rec.Spec(tf.TensorSpec([], tf.string), {"a": tf.TensorSpec([2], tf.int32)}, None, (1,), (2, "b"), 2.5,
               tf.TensorShape([3]), tf.int32, "s"))
""",
    """
class Outer(tf.experimental.ExtensionType):
  inner: MT
  rt: tf.RaggedTensor
  st: Optional[tf.SparseTensor] = None
  k: int = 1

o = Outer(MT([1, 2], [True, False]), tf.ragged.constant([[1], [2, 3]]))
print(o)
print(o._type_spec)
flat = tf.nest.flatten(o, expand_composites=True)
print(flat)
print(tf.nest.flatten(o))
o2 = tf.nest.pack_sequence_as(o, [flat[0] * 2, flat[1], flat[2] * 2] + flat[3:], expand_composites=True)
print(o2)
print(tf.nest.map_structure(tf.identity, {"x": [o.inner]}, expand_composites=True))
try:
  Outer(o.inner, [[1]])
except TypeError as err:
  print(err)
""",
    """
x = MT([1, 2], [True, False]); y = MT([[1.0]], [[True]]); z = MT([3], [False])
for p, q in [(x, z), (x, y), (x, 1), (x, [1, 2]), ([x], [z])]:
  try:
    tf.nest.assert_same_structure(p, q, expand_composites=True)
    print("ok")
  except Exception as err:
    print(type(err).__name__, err)
""",
    """
@tf.function
def f(m, scale):
  print("tracing")
  return MT(m.values * scale, m.mask), m.values + 1

print(f(MT([1, 2], [True, False]), 2))
print(f(MT([3, 4], [False, False]), 2))
print(f(MT([3.0, 4], [False, False]), 2))
print(f(MT([3, 4], [False, False]), 3))
print(f.experimental_get_tracing_count())
""",
    """
spec_sig = MT.Spec(tf.TensorSpec(None, tf.float32), tf.TensorSpec(None, tf.bool))
@tf.function(input_signature=[spec_sig])
def g(m):
  return tf.reduce_sum(tf.where(m.mask, m.values, 0.0))

print(g(MT([1.0, 2, 3], [True, False, True])))
for bad in [tf.constant([1.0]), Outer(MT([1.0], [True]), tf.ragged.constant([[1]])), MT([1, 2], [True, True])]:
  try:
    g(bad)
  except TypeError as err:
    print(err)
print(g.pretty_printed_concrete_signatures())
""",
    """
print(tf.cond(tf.constant(False), lambda: MT([1], [True]), lambda: MT([2, 3], [False, True])))
print(tf.while_loop(lambda m: tf.reduce_sum(m.values) < 10, lambda m: [MT(m.values * 2, m.mask)],
                    [MT([1, 2], [True, False])]))
""",
    """
class Net(tf.experimental.BatchableExtensionType):
  shape: tf.TensorShape
  work: tf.Tensor
  tags: Mapping[str, tf.Tensor]

n = Net([2], [1.0, 2.0], {"a": [[1, 2]]})
print(n._type_spec)
print(n._type_spec._batch(3))
print(n._type_spec._batch(None)._unbatch())
print(isinstance(n, tf.experimental.BatchableExtensionType), isinstance(n, tf.experimental.ExtensionType))
try:
  class NotBatchable(tf.experimental.ExtensionType):
    x: tf.Tensor
    __batch_encoder__ = None
except ValueError as err:
  print(err)
""",
    """
class Vehicle(tf.experimental.BatchableExtensionType):
  top_speed: tf.Tensor
  mpg: tf.Tensor
  tags: Mapping[str, tf.RaggedTensor] = {}

batch = Vehicle([120, 150, 80], [30, 40, 12])
print(tf.map_fn(lambda vehicle: vehicle.top_speed * vehicle.mpg, batch, fn_output_signature=tf.int32).numpy())
print(tf.map_fn(lambda v: Vehicle(v.top_speed + 1, v.mpg), batch))
print(tf.map_fn(lambda v: Vehicle(v.top_speed * 2, v.mpg),
                batch, fn_output_signature=Vehicle.Spec(tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32), {})))
ds = tf.data.Dataset.from_tensor_slices(batch)
print(ds.element_spec)
print(list(ds))
tagged = Vehicle([1, 2], [3, 4], {"t": tf.ragged.constant([[1], [2, 3]])})
print(tf.data.Dataset.from_tensor_slices(tagged).element_spec)
print(list(tf.data.Dataset.from_tensor_slices(tagged)))
""",
    """
class Custom(tf.experimental.ExtensionType):
  x: tf.Tensor
  y: int
  def __init__(self, x, scale=2):
    self.x = x
    self.y = scale
  def __validate__(self):
    if self.y < 0:
      raise ValueError(f"negative scale {self.y}")
  class Spec:
    def __init__(self, shape):
      self.x = tf.TensorSpec(shape, tf.int32)
      self.y = 2
    def describe(self):
      return f"Custom of shape {self.x.shape}"

print(Custom([1, 2]), Custom([1], 3).y)
try:
  Custom([1], -1)
except ValueError as err:
  print(err)
print(Custom.Spec([None]), Custom.Spec([2]).describe(), Custom.Spec([2]) == Custom([1, 2])._type_spec)
for body in ["y: int\\n  class Spec(tf.TensorSpec):\\n    pass", "y: int\\n  class Spec:\\n    y = 1",
             "y: int\\n  class Spec:\\n    _to_components = 1"]:
  try:
    exec(f"class BadSpec(tf.experimental.ExtensionType):\\n  {body}", {"tf": tf})
    print("ok")
  except ValueError as err:
    print(err)
""",
]


def _compiled(cells: list[str]) -> list:
    """The cells as code objects compiled as a notebook compiles them: without this module's ``from __future__
    import annotations`` (which a string passed to ``exec`` inherits), so their annotations are the types."""
    compiled = []
    for i, cell in enumerate(cells):
        name = f"<extension type guide cell {i}>"
        # registered as a notebook's cells are, so TF's autograph finds the source of the functions it converts
        linecache.cache[name] = (len(cell), None, cell.splitlines(keepends=True), name)
        compiled.append(compile(cell, name, "exec", dont_inherit=True))
    return compiled


def test_guide_cells_print_what_tensorflow_prints(tf_oracle) -> None:
    cells = _compiled(GUIDE)
    ours, theirs = run_cells(ff, cells, SETUP), run_cells(tf_oracle, cells, SETUP)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"cell {i}:\n{GUIDE[i]}"


def test_extension_type_cases_match_tensorflow(tf_oracle) -> None:
    cells = _compiled(CASES)
    ours, theirs = run_cells(ff, cells, SETUP), run_cells(tf_oracle, cells, SETUP)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"case {i}:\n{CASES[i]}"


_FORWARD_MODULE = """
import {lib} as tf
from typing import Tuple

class Node(tf.experimental.ExtensionType):
  value: tf.Tensor
  children: Tuple["Node", ...] = ()

class Later(tf.experimental.ExtensionType):
  other: "Missing"

def run():
  out = [repr(Node(3, [Node(5), Node(2)])), repr(Node(1)._type_spec)]
  try:
    Later(1)
  except Exception as e:
    out.append(f"{{type(e).__name__}}: {{e}}")
  return out
"""


def test_forward_references_resolve_in_their_module(tf_oracle, tmp_path, monkeypatch) -> None:
    """The guide's ``Tuple["Node", ...]``: a name the class's module defines later resolves at construction; one
    it never defines is TF's TypeError."""
    import importlib

    monkeypatch.syspath_prepend(str(tmp_path))
    results = []
    for lib in ("featherflow", "tensorflow"):
        (tmp_path / f"et_forward_{lib}.py").write_text(_FORWARD_MODULE.format(lib=lib))
        results.append(importlib.import_module(f"et_forward_{lib}").run())
    assert results[0] == results[1]
    assert results[0][0].startswith("Node(value=<tf.Tensor: shape=(), dtype=int32, numpy=3>, children=(Node(")


def test_function_replays_extension_types_without_rerunning_python() -> None:
    """A tf.function traced with an ExtensionType argument replays for another value of the same spec (its
    tensors are the trace's inputs, its Python fields part of the key) and rebuilds ExtensionType results."""

    class Masked(ff.experimental.ExtensionType):
        values: ff.Tensor
        mask: ff.Tensor
        label: str = "m"

    runs = []

    @ff.function
    def double(m):
        runs.append(m.label)
        return {"out": [Masked(m.values * 2, m.mask, m.label)]}, ff.reduce_sum(m.values)

    first = double(Masked([1, 2], [True, False]))
    second = double(Masked([5, 7], [False, True]))
    relabeled = double(Masked([5, 7], [False, True], "other"))
    assert runs == ["m", "other"] and double.experimental_get_tracing_count() == 2
    assert first[0]["out"][0].values.numpy().tolist() == [2, 4]
    assert second[0]["out"][0].values.numpy().tolist() == [10, 14]
    assert second[0]["out"][0].mask.numpy().tolist() == [False, True] and int(second[1]) == 12
    assert relabeled[0]["out"][0].label == "other" and type(second[0]["out"][0]) is Masked
