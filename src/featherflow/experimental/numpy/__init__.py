"""``tf.experimental.numpy`` (tnp): NumPy's API on Tensors (re-exports).

>>> import featherflow.experimental.numpy as tnp
>>> tnp.asarray([1.5, 2.5]).dtype
tf.float64
"""

import numpy as _np

from ...ops.numpy._dtypes import finfo as finfo
from ...ops.numpy._dtypes import promote_types as promote_types
from ...ops.numpy._dtypes import result_type as result_type
from ...ops.numpy.behavior import experimental_enable_numpy_behavior as experimental_enable_numpy_behavior
from ...ops.numpy.creation import arange as arange
from ...ops.numpy.creation import array as array
from ...ops.numpy.creation import asanyarray as asanyarray
from ...ops.numpy.creation import asarray as asarray
from ...ops.numpy.creation import ascontiguousarray as ascontiguousarray
from ...ops.numpy.creation import copy as copy
from ...ops.numpy.creation import diag as diag
from ...ops.numpy.creation import diag_indices as diag_indices
from ...ops.numpy.creation import diagflat as diagflat
from ...ops.numpy.creation import empty as empty
from ...ops.numpy.creation import empty_like as empty_like
from ...ops.numpy.creation import eye as eye
from ...ops.numpy.creation import full as full
from ...ops.numpy.creation import full_like as full_like
from ...ops.numpy.creation import geomspace as geomspace
from ...ops.numpy.creation import identity as identity
from ...ops.numpy.creation import ix_ as ix_
from ...ops.numpy.creation import linspace as linspace
from ...ops.numpy.creation import logspace as logspace
from ...ops.numpy.creation import meshgrid as meshgrid
from ...ops.numpy.creation import ones as ones
from ...ops.numpy.creation import ones_like as ones_like
from ...ops.numpy.creation import tri as tri
from ...ops.numpy.creation import tril as tril
from ...ops.numpy.creation import triu as triu
from ...ops.numpy.creation import vander as vander
from ...ops.numpy.creation import zeros as zeros
from ...ops.numpy.creation import zeros_like as zeros_like
from ...ops.numpy.linalg import cross as cross
from ...ops.numpy.linalg import dot as dot
from ...ops.numpy.linalg import einsum as einsum
from ...ops.numpy.linalg import inner as inner
from ...ops.numpy.linalg import kron as kron
from ...ops.numpy.linalg import matmul as matmul
from ...ops.numpy.linalg import outer as outer
from ...ops.numpy.linalg import polyval as polyval
from ...ops.numpy.linalg import tensordot as tensordot
from ...ops.numpy.linalg import vdot as vdot
from ...ops.numpy.math import abs as abs  # noqa: A004
from ...ops.numpy.math import absolute as absolute
from ...ops.numpy.math import add as add
from ...ops.numpy.math import allclose as allclose
from ...ops.numpy.math import angle as angle
from ...ops.numpy.math import arccos as arccos
from ...ops.numpy.math import arccosh as arccosh
from ...ops.numpy.math import arcsin as arcsin
from ...ops.numpy.math import arcsinh as arcsinh
from ...ops.numpy.math import arctan as arctan
from ...ops.numpy.math import arctan2 as arctan2
from ...ops.numpy.math import arctanh as arctanh
from ...ops.numpy.math import around as around
from ...ops.numpy.math import array_equal as array_equal
from ...ops.numpy.math import bitwise_and as bitwise_and
from ...ops.numpy.math import bitwise_not as bitwise_not
from ...ops.numpy.math import bitwise_or as bitwise_or
from ...ops.numpy.math import bitwise_xor as bitwise_xor
from ...ops.numpy.math import cbrt as cbrt
from ...ops.numpy.math import ceil as ceil
from ...ops.numpy.math import clip as clip
from ...ops.numpy.math import conj as conj
from ...ops.numpy.math import conjugate as conjugate
from ...ops.numpy.math import cos as cos
from ...ops.numpy.math import cosh as cosh
from ...ops.numpy.math import deg2rad as deg2rad
from ...ops.numpy.math import divide as divide
from ...ops.numpy.math import divmod as divmod  # noqa: A004
from ...ops.numpy.math import equal as equal
from ...ops.numpy.math import exp as exp
from ...ops.numpy.math import exp2 as exp2
from ...ops.numpy.math import expm1 as expm1
from ...ops.numpy.math import fabs as fabs
from ...ops.numpy.math import fix as fix
from ...ops.numpy.math import float_power as float_power
from ...ops.numpy.math import floor as floor
from ...ops.numpy.math import floor_divide as floor_divide
from ...ops.numpy.math import gcd as gcd
from ...ops.numpy.math import greater as greater
from ...ops.numpy.math import greater_equal as greater_equal
from ...ops.numpy.math import heaviside as heaviside
from ...ops.numpy.math import hypot as hypot
from ...ops.numpy.math import imag as imag
from ...ops.numpy.math import isclose as isclose
from ...ops.numpy.math import iscomplex as iscomplex
from ...ops.numpy.math import iscomplexobj as iscomplexobj
from ...ops.numpy.math import isfinite as isfinite
from ...ops.numpy.math import isinf as isinf
from ...ops.numpy.math import isnan as isnan
from ...ops.numpy.math import isneginf as isneginf
from ...ops.numpy.math import isposinf as isposinf
from ...ops.numpy.math import isreal as isreal
from ...ops.numpy.math import isrealobj as isrealobj
from ...ops.numpy.math import lcm as lcm
from ...ops.numpy.math import less as less
from ...ops.numpy.math import less_equal as less_equal
from ...ops.numpy.math import log as log
from ...ops.numpy.math import log1p as log1p
from ...ops.numpy.math import log2 as log2
from ...ops.numpy.math import log10 as log10
from ...ops.numpy.math import logaddexp as logaddexp
from ...ops.numpy.math import logaddexp2 as logaddexp2
from ...ops.numpy.math import logical_and as logical_and
from ...ops.numpy.math import logical_not as logical_not
from ...ops.numpy.math import logical_or as logical_or
from ...ops.numpy.math import logical_xor as logical_xor
from ...ops.numpy.math import maximum as maximum
from ...ops.numpy.math import minimum as minimum
from ...ops.numpy.math import mod as mod
from ...ops.numpy.math import multiply as multiply
from ...ops.numpy.math import negative as negative
from ...ops.numpy.math import nextafter as nextafter
from ...ops.numpy.math import not_equal as not_equal
from ...ops.numpy.math import positive as positive
from ...ops.numpy.math import power as power
from ...ops.numpy.math import rad2deg as rad2deg
from ...ops.numpy.math import real as real
from ...ops.numpy.math import reciprocal as reciprocal
from ...ops.numpy.math import remainder as remainder
from ...ops.numpy.math import round as round  # noqa: A004
from ...ops.numpy.math import sign as sign
from ...ops.numpy.math import signbit as signbit
from ...ops.numpy.math import sin as sin
from ...ops.numpy.math import sinc as sinc
from ...ops.numpy.math import sinh as sinh
from ...ops.numpy.math import sqrt as sqrt
from ...ops.numpy.math import square as square
from ...ops.numpy.math import subtract as subtract
from ...ops.numpy.math import tan as tan
from ...ops.numpy.math import tanh as tanh
from ...ops.numpy.math import true_divide as true_divide
from ...ops.numpy.reduce import all as all  # noqa: A004
from ...ops.numpy.reduce import amax as amax
from ...ops.numpy.reduce import amin as amin
from ...ops.numpy.reduce import any as any  # noqa: A004
from ...ops.numpy.reduce import argmax as argmax
from ...ops.numpy.reduce import argmin as argmin
from ...ops.numpy.reduce import argsort as argsort
from ...ops.numpy.reduce import average as average
from ...ops.numpy.reduce import count_nonzero as count_nonzero
from ...ops.numpy.reduce import cumprod as cumprod
from ...ops.numpy.reduce import cumsum as cumsum
from ...ops.numpy.reduce import max as max  # noqa: A004
from ...ops.numpy.reduce import mean as mean
from ...ops.numpy.reduce import min as min  # noqa: A004
from ...ops.numpy.reduce import nanmean as nanmean
from ...ops.numpy.reduce import nanprod as nanprod
from ...ops.numpy.reduce import nansum as nansum
from ...ops.numpy.reduce import prod as prod
from ...ops.numpy.reduce import ptp as ptp
from ...ops.numpy.reduce import sort as sort
from ...ops.numpy.reduce import std as std
from ...ops.numpy.reduce import sum as sum  # noqa: A004
from ...ops.numpy.reduce import trace as trace
from ...ops.numpy.reduce import var as var
from ...ops.numpy.shape import append as append
from ...ops.numpy.shape import atleast_1d as atleast_1d
from ...ops.numpy.shape import atleast_2d as atleast_2d
from ...ops.numpy.shape import atleast_3d as atleast_3d
from ...ops.numpy.shape import broadcast_arrays as broadcast_arrays
from ...ops.numpy.shape import broadcast_to as broadcast_to
from ...ops.numpy.shape import compress as compress
from ...ops.numpy.shape import concatenate as concatenate
from ...ops.numpy.shape import diagonal as diagonal
from ...ops.numpy.shape import diff as diff
from ...ops.numpy.shape import dsplit as dsplit
from ...ops.numpy.shape import dstack as dstack
from ...ops.numpy.shape import expand_dims as expand_dims
from ...ops.numpy.shape import flatten as flatten
from ...ops.numpy.shape import flip as flip
from ...ops.numpy.shape import fliplr as fliplr
from ...ops.numpy.shape import flipud as flipud
from ...ops.numpy.shape import hsplit as hsplit
from ...ops.numpy.shape import hstack as hstack
from ...ops.numpy.shape import isscalar as isscalar
from ...ops.numpy.shape import moveaxis as moveaxis
from ...ops.numpy.shape import ndim as ndim
from ...ops.numpy.shape import nonzero as nonzero
from ...ops.numpy.shape import pad as pad
from ...ops.numpy.shape import ravel as ravel
from ...ops.numpy.shape import repeat as repeat
from ...ops.numpy.shape import reshape as reshape
from ...ops.numpy.shape import roll as roll
from ...ops.numpy.shape import rot90 as rot90
from ...ops.numpy.shape import select as select
from ...ops.numpy.shape import shape as shape
from ...ops.numpy.shape import size as size
from ...ops.numpy.shape import split as split
from ...ops.numpy.shape import squeeze as squeeze
from ...ops.numpy.shape import stack as stack
from ...ops.numpy.shape import swapaxes as swapaxes
from ...ops.numpy.shape import take as take
from ...ops.numpy.shape import take_along_axis as take_along_axis
from ...ops.numpy.shape import tile as tile
from ...ops.numpy.shape import transpose as transpose
from ...ops.numpy.shape import vsplit as vsplit
from ...ops.numpy.shape import vstack as vstack
from ...ops.numpy.shape import where as where
from ...tensor import Tensor as _Tensor
from . import random as random

ndarray = _Tensor  # tnp.ndarray is tf.Tensor

# NumPy's scalar types and constants, as TF's tnp exports them (``tnp.float32 is np.float32``)
bool_ = _np.bool_
complex64 = _np.complex64
complex128 = _np.complex128
complex_ = _np.complex128
float16 = _np.float16
float32 = _np.float32
float64 = _np.float64
float_ = _np.float64
inexact = _np.inexact
int_ = _np.int_
int8 = _np.int8
int16 = _np.int16
int32 = _np.int32
int64 = _np.int64
object_ = _np.object_
string_ = _np.bytes_
uint8 = _np.uint8
uint16 = _np.uint16
uint32 = _np.uint32
uint64 = _np.uint64
unicode_ = _np.str_
iinfo = _np.iinfo
issubdtype = _np.issubdtype
e = _np.e
inf = _np.inf
pi = _np.pi
newaxis = None
