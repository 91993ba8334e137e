"""CTC beam search decoding (``tf.nn.ctc_beam_search_decoder``): TF's CTCBeamSearchDecoder CPU kernel
(tensorflow/core/util/ctc/ctc_beam_search.h with the default scorer), step for step.

Host-only, as in TF (CPU kernel only): the beam is a tree of prefixes pruned by data at each step. The beam is
kept as TF keeps it, in a ``gtl::TopN`` over a vector laid out by libstdc++'s heap and sort algorithms (ported
below), because which of two equally likely prefixes stays in the beam, and their order among the top paths,
is decided by that layout. Arithmetic runs in the input's dtype (each float32 step rounded).

>>> import featherflow as tf
>>> x = tf.math.log(tf.constant([[[0.3, 0.7]], [[0.4, 0.6]]]))  # Graves' example: 'a' beats the blank path
>>> decoded, logp = tf.nn.ctc_beam_search_decoder(x, [2], beam_width=2)
>>> decoded[0].values.numpy(), round(float(logp[0, 0]), 4)  # log(0.58)
(array([0]), -0.5447)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...errors import FailedPreconditionError, InvalidArgumentError
from .._kernel_errors import kernel_error, slow_path
from ..convert import tensor
from ..registry import register

_OP = "CTCBeamSearchDecoder"
_NEG = -math.inf


class _BeamError(Exception):
    """TF's TopPaths errors, raised as the kernel's InvalidArgumentError by the op."""


class _Entry:
    """A prefix in the beam tree (TF's BeamEntry): its probabilities at t-1 (``o*``) and t (``n*``)."""

    __slots__ = ("parent", "label", "children", "ot", "ob", "ol", "nt", "nb", "nl")

    def __init__(self, parent: _Entry | None, label: int, zero: Any) -> None:
        self.parent, self.label, self.children = parent, label, {}
        self.ot = self.ob = self.ol = self.nt = self.nb = self.nl = zero

    def label_seq(self, merge_repeated: bool) -> list:
        out, prev, c = [], -1, self
        while c.parent is not None:
            if not merge_repeated or c.label != prev:
                out.append(c.label)
            prev, c = c.label, c.parent
        return out[::-1]


def _gt(a: _Entry, b: _Entry) -> bool:  # TF's BeamComparer: the "greater" predicate of its TopN
    return a.nt > b.nt


# libstdc++'s heap and sort algorithms with the comparator ``_gt`` (so the heap's front is the least likely)
def _push_heap(v: list, hole: int, top: int, value: _Entry) -> None:
    parent = (hole - 1) // 2
    while hole > top and _gt(v[parent], value):
        v[hole] = v[parent]
        hole = parent
        parent = (hole - 1) // 2
    v[hole] = value


def _adjust_heap(v: list, first: int, hole: int, n: int, value: _Entry) -> None:
    top = hole
    child = hole
    while child < (n - 1) // 2:
        child = 2 * (child + 1)
        if _gt(v[first + child], v[first + child - 1]):
            child -= 1
        v[first + hole] = v[first + child]
        hole = child
    if (n & 1) == 0 and child == (n - 2) // 2:
        child = 2 * (child + 1)
        v[first + hole] = v[first + child - 1]
        hole = child - 1
    # __push_heap on the subrange starting at ``first``
    parent = (hole - 1) // 2
    while hole > top and _gt(v[first + parent], value):
        v[first + hole] = v[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    v[first + hole] = value


def _make_heap(v: list, first: int, last: int) -> None:
    n = last - first
    if n < 2:
        return
    parent = (n - 2) // 2
    while True:
        _adjust_heap(v, first, parent, n, v[first + parent])
        if parent == 0:
            return
        parent -= 1


def _pop_heap_to(v: list, first: int, last: int, result: int) -> None:
    value = v[result]
    v[result] = v[first]
    _adjust_heap(v, first, 0, last - first, value)


def _sort_heap(v: list, first: int, last: int) -> None:
    while last - first > 1:
        last -= 1
        _pop_heap_to(v, first, last, last)


def _insertion_sort(v: list, first: int, last: int) -> None:
    for i in range(first + 1, last):
        val = v[i]
        if _gt(val, v[first]):
            v[first + 1:i + 1] = v[first:i]
            v[first] = val
        else:
            _linear_insert(v, i)


def _linear_insert(v: list, last: int) -> None:
    val = v[last]
    nxt = last - 1
    while _gt(val, v[nxt]):
        v[last] = v[nxt]
        last = nxt
        nxt -= 1
    v[last] = val


def _median_to_first(v: list, result: int, a: int, b: int, c: int) -> None:
    if _gt(v[a], v[b]):
        if _gt(v[b], v[c]):
            m = b
        elif _gt(v[a], v[c]):
            m = c
        else:
            m = a
    elif _gt(v[a], v[c]):
        m = a
    elif _gt(v[b], v[c]):
        m = c
    else:
        m = b
    v[result], v[m] = v[m], v[result]


def _introsort_loop(v: list, first: int, last: int, depth: int) -> None:
    while last - first > 16:
        if depth == 0:  # __partial_sort(first, last, last): heap select, then sort the heap
            _make_heap(v, first, last)
            _sort_heap(v, first, last)
            return
        depth -= 1
        _median_to_first(v, first, first + 1, first + (last - first) // 2, last - 1)
        lo, hi, pivot = first + 1, last, v[first]
        while True:  # __unguarded_partition
            while _gt(v[lo], pivot):
                lo += 1
            hi -= 1
            while _gt(pivot, v[hi]):
                hi -= 1
            if not lo < hi:
                break
            v[lo], v[hi] = v[hi], v[lo]
            lo += 1
        _introsort_loop(v, lo, last, depth)
        last = lo


def _sort(v: list) -> None:
    n = len(v)
    if n < 2:
        return
    _introsort_loop(v, 0, n, 2 * (n.bit_length() - 1))
    if n > 16:
        _insertion_sort(v, 0, 16)
        for i in range(16, n):
            _linear_insert(v, i)
    else:
        _insertion_sort(v, 0, n)


class _TopN:
    """TF's ``gtl::TopN<BeamEntry*, BeamComparer>``: unordered, then bottom-known, then a heap of ``limit``."""

    __slots__ = ("limit", "v", "state")

    def __init__(self, limit: int) -> None:
        self.limit, self.v, self.state = limit, [], 0  # 0 UNORDERED, 1 BOTTOM_KNOWN, 2 HEAP_SORTED

    def size(self) -> int:
        return min(len(self.v), self.limit)

    def push(self, e: _Entry) -> None:
        v = self.v
        if self.state != 2:
            v.append(e)
            if self.state != 0 and not _gt(v[-1], v[0]):
                v[0], v[-1] = v[-1], v[0]
            if len(v) == self.limit + 1:
                _make_heap(v, 0, len(v))
                _pop_heap_to(v, 0, len(v) - 1, len(v) - 1)
                self.state = 2
        elif _gt(e, v[0]):
            v[-1] = e
            _push_heap(v, len(v) - 1, 0, e)
            _pop_heap_to(v, 0, len(v) - 1, len(v) - 1)

    def peek_bottom(self) -> _Entry:
        v = self.v
        if self.state == 0:
            m = 0
            for i in range(1, len(v)):
                if _gt(v[m], v[i]):
                    m = i
            if m:
                v[0], v[m] = v[m], v[0]
            self.state = 1
        return v[0]

    def extract(self) -> list:
        out, self.v = self.v, []
        if self.state != 2:
            _sort(out)
        else:
            out.pop()
            _sort_heap(out, 0, len(out))
        self.state = 0
        return out


def _f32(v: float) -> float:
    return float(np.float32(v))


def _same(v: float) -> float:
    return v


def _log_sum_exp(a: float, b: float, f: Any) -> float:
    """TF's LogSumExp<T>: each step (exp, log1p, the sums) rounded by ``f`` to T."""
    if a == _NEG:
        return b
    if b == _NEG:
        return a
    hi, lo = (a, b) if a > b else (b, a)
    return f(hi + f(math.log1p(f(math.exp(f(lo - hi))))))


def _decode_one(rows: np.ndarray, beam_width: int, top_paths: int, merge_repeated: bool) -> tuple:
    """One batch entry: ``rows`` is its (time, classes) logits. Returns (top paths, their log-probabilities)."""
    # Python floats, each result rounded to float32 (``f``, ``rin``) when T is float32, as the kernel's T math
    f = rin = _f32 if rows.dtype == np.float32 else _same
    zero, neg = 0.0, _NEG
    classes = rows.shape[1]
    blank = classes - 1
    root = _Entry(None, -1, neg)
    root.nt = root.nb = zero
    leaves = _TopN(beam_width)
    leaves.push(root)
    for row in rows:
        x = row.tolist()
        max_coeff = f(max(x))
        total = 0.0  # the softmax's normalizer, summed in order (a float) as the kernel does
        for v in x:
            total = f(total + rin(math.exp(rin(v - max_coeff))))
        norm = f(max_coeff + f(math.log(total)))  # log-probabilities: logits less their log-sum-exp
        branches = leaves.extract()
        for b in branches:
            b.ot, b.ob, b.ol = b.nt, b.nb, b.nl
        for b in branches:
            p = b.parent
            if p is not None:
                if p.nt != _NEG:  # the parent is active
                    previous = p.ob if b.label == p.label else p.ot
                    b.nl = _log_sum_exp(b.nl, previous, f)
                b.nl = f(b.nl + rin(x[b.label] - norm))
            b.nb = f(rin(rin(b.ot + x[blank]) - norm))
            b.nt = _log_sum_exp(b.nb, b.nl, f)
            leaves.push(b)
        for b in branches:
            if not (b.ot > _NEG and (leaves.size() < beam_width or b.ot > leaves.peek_bottom().nt)):
                continue
            for label in range(classes - 1):
                c = b.children.get(label)
                if c is None:
                    c = b.children[label] = _Entry(b, label, neg)
                if c.nt != _NEG:  # active: already in the beam
                    continue
                c.nb = neg
                previous = b.ob if c.label == b.label else b.ot
                c.nl = c.nt = f(f(f(x[label]) - norm) + previous)
                if c.nt > _NEG and (leaves.size() < beam_width or c.nt > leaves.peek_bottom().nt):
                    if leaves.size() == beam_width:
                        bottom = leaves.peek_bottom()  # leaves the beam: marked inactive
                        bottom.nt = bottom.nb = bottom.nl = neg
                    leaves.push(c)
                else:
                    c.ot = c.ob = c.ol = c.nt = c.nb = c.nl = neg
    if top_paths > beam_width:
        raise _BeamError("requested more paths than the beam width.")
    if top_paths > leaves.size():
        raise _BeamError("Less leaves in the beam search than requested.")
    top = _TopN(top_paths)
    for e in leaves.v[:leaves.size()]:
        top.push(e)
    best = top.extract()[:top_paths]
    return [e.label_seq(merge_repeated) for e in best], [e.nt for e in best]


@register(_OP, n_outputs=0, differentiable=False, host_only=True)
def ctc_beam_search_decoder_op(xp: Any, logits: Any, seq_len: Any, beam_width: int = 100, top_paths: int = 1,
                               merge_repeated: bool = True) -> tuple:
    """(top_paths indices, top_paths values, top_paths shapes, log_probability [batch, top_paths]): TF's
    CTCBeamSearchDecoder, the blank the last class. Validation errors are the wrapper's."""
    batch = logits.shape[1]
    log_probs = np.zeros((batch, top_paths), dtype=logits.dtype)
    paths = []
    for b in range(batch):
        try:
            seqs, probs = _decode_one(logits[:max(int(seq_len[b]), 0), b, :], beam_width, top_paths, merge_repeated)
        except _BeamError as e:
            raise kernel_error(_OP, str(e), kernel=f"{_OP}_top_paths_{top_paths}") from None
        paths.append(seqs)
        log_probs[b, :] = probs
    indices, values, shapes = [], [], []
    for p in range(top_paths):
        per = [paths[b][p] for b in range(batch)]
        indices.append(np.array([[b, j] for b, s in enumerate(per) for j in range(len(s))],
                                dtype=np.int64).reshape(-1, 2))
        values.append(np.array([k for s in per for k in s], dtype=np.int64))
        shapes.append(np.array([batch, max((len(s) for s in per), default=0)], dtype=np.int64))
    return (*indices, *values, *shapes, log_probs)


def _attr_error(attr: str, value: int) -> InvalidArgumentError:
    from ..registry import OPS

    contract = OPS[_OP].contract
    summary = f"; {contract.summary}" if contract is not None else ""
    return InvalidArgumentError(None, None, f"Value for attr '{attr}' of {value} must be at least minimum 1\n\t; "
                                            f"NodeDef: {{{{node {_OP}}}}}; Op<name={_OP}{summary}> [Op:{_OP}] name: ")


def ctc_beam_search_decoder(inputs: Any, sequence_length: Any, beam_width: int = 100, top_paths: int = 1) -> tuple:
    """Beam search decoding of (max_time, batch, classes) logits, the blank the last class
    (``tf.nn.ctc_beam_search_decoder``). Returns ([top_paths SparseTensors], log-probabilities [batch, top_paths]).
    """
    with slow_path(inputs, sequence_length):
        return _decode(inputs, sequence_length, int(beam_width), int(top_paths))


def _decode(inputs: Any, sequence_length: Any, beam_width: int, top_paths: int, merge_repeated: bool = False) -> tuple:
    from ..sparse.tensor import SparseTensor

    x = tensor(inputs)
    seq = tensor(sequence_length)
    ctc_beam_search_decoder_op.check(x, seq)
    for attr, value in (("beam_width", beam_width), ("top_paths", top_paths)):
        if value < 1:
            raise _attr_error(attr, value)
    kernel = f"{_OP}_top_paths_{top_paths}"
    shape, seq_shape = x._value.shape, seq._value.shape

    def fail(message: str, cls: type = InvalidArgumentError) -> Exception:
        return kernel_error(_OP, message, kernel=kernel, cls=cls)

    if len(shape) != 3:
        raise fail("inputs is not a 3-Tensor")
    if 0 in shape:
        raise fail("inputs must not be empty")
    if len(seq_shape) != 1:
        raise fail("sequence_length is not a vector")
    if seq_shape[0] != shape[1]:
        raise fail(f"len(sequence_length) != batch_size.  len(sequence_length):  {seq_shape[0]} batch_size: "
                   f"{shape[1]}", FailedPreconditionError)
    for b, n in enumerate(np.asarray(seq._value).tolist()):
        if n > shape[0]:
            raise fail(f"sequence_length({b}) <= {shape[0]}", FailedPreconditionError)
    out = ctc_beam_search_decoder_op(x, seq, beam_width=beam_width, top_paths=top_paths,
                                     merge_repeated=merge_repeated)
    n = top_paths
    decoded = [SparseTensor(out[p], out[n + p], out[2 * n + p]) for p in range(n)]
    return decoded, out[3 * n]
