/*
 * csguard._model: the learned second opinion's scores in C (its Python side and the pure-Python
 * twin are csguard/model/scorer.py and csguard/model/features.py).
 *
 * With the model on, every message is scored, also the clean ones the scanner dismisses, so this
 * is on the hot path: one pass over the compact view hashes each character n-gram (FNV-1a over
 * code points, a multiplicative mix, the top `bits` bits) and adds that bucket's int8 weight
 * for every head.  Sums are integers and a head's value is one IEEE division by the square root
 * of the number of n-grams, so the Python path gives the same numbers to the bit; the thresholds
 * are compared here without creating a Python object for a message that reaches none of them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#define MAX_HEADS 16
#define FNV_OFFSET 0x811C9DC5u
#define FNV_PRIME 0x01000193u
#define MIX 0x9E3779B1u
#define START 0x02u /* the text's start and end markers (features.py) */
#define END 0x03u

typedef struct {
    PyObject_HEAD
    int8_t *weights; /* nbuckets rows of nheads weights: one n-gram reads one cache line */
    Py_ssize_t nbuckets;
    int nheads, bits, nmin, nmax;
    int min_chars; /* score() says nothing about a message with fewer characters left to read */
    double threshold[MAX_HEADS]; /* score() reports a message when a head's value reaches its threshold */
} TableObject;

static int read_doubles(PyObject *seq, int n, double *out)
{
    PyObject *fast = PySequence_Fast(seq, "thresholds must be a sequence");
    if (!fast)
        return -1;
    if (PySequence_Fast_GET_SIZE(fast) != n) {
        PyErr_Format(PyExc_ValueError, "thresholds: expected %d values", n);
        Py_DECREF(fast);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        double v = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, k));
        if (v == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        out[k] = v;
    }
    Py_DECREF(fast);
    return 0;
}

static int Table_init(TableObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"weights", "nheads", "bits", "nmin", "nmax", "thresholds", "min_chars", NULL};
    Py_buffer buf;
    PyObject *thresholds;
    self->min_chars = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*iiiiO|i", kwlist, &buf, &self->nheads, &self->bits, &self->nmin,
                                     &self->nmax, &thresholds, &self->min_chars))
        return -1;
    int ok = 0;
    if (self->nheads < 1 || self->nheads > MAX_HEADS || self->bits < 8 || self->bits > 30 || self->nmin < 1 ||
        self->nmax < self->nmin || self->nmax > 8) {
        PyErr_SetString(PyExc_ValueError, "Table: nheads, bits or n-gram range out of bounds");
        goto done;
    }
    self->nbuckets = (Py_ssize_t)1 << self->bits;
    if (buf.len != self->nbuckets * self->nheads) {
        PyErr_SetString(PyExc_ValueError, "Table: weights must hold 2**bits * nheads bytes");
        goto done;
    }
    if (read_doubles(thresholds, self->nheads, self->threshold) < 0)
        goto done;
    PyMem_Free(self->weights);
    self->weights = PyMem_Malloc((size_t)buf.len);
    if (!self->weights) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(self->weights, buf.buf, (size_t)buf.len);
    ok = 1;
done:
    PyBuffer_Release(&buf);
    return ok ? 0 : -1;
}

static void Table_dealloc(TableObject *self)
{
    PyMem_Free(self->weights);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* features.code_points: ASCII digits and Latin letters are the recognizers' job, not the model's */
static inline int skipped(uint32_t cp)
{
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7A) || (cp >= 0x41 && cp <= 0x5A);
}

/* The heads' integer sums for one compact text and the number of n-grams read (0 when fewer than
 * min_chars characters are left to read and `gate` is set); -1 with an exception set when the
 * text is not a str. */
static Py_ssize_t sum_heads(const TableObject *t, PyObject *text, int64_t *sums, int gate)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "the compact text must be a str");
        return -1;
    }
    if (!t->weights) {
        PyErr_SetString(PyExc_ValueError, "Table was not initialised");
        return -1;
    }
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n_in = PyUnicode_GET_LENGTH(text);
    uint32_t small[512];
    uint32_t *cps = n_in + 2 <= 512 ? small : PyMem_Malloc(sizeof(uint32_t) * (size_t)(n_in + 2));
    if (!cps) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t len = 0;
    cps[len++] = START;
    for (Py_ssize_t i = 0; i < n_in; i++) {
        uint32_t cp = (uint32_t)PyUnicode_READ(kind, data, i);
        if (!skipped(cp))
            cps[len++] = cp;
    }
    cps[len++] = END;
    if (gate && len - 2 < t->min_chars) {
        if (cps != small)
            PyMem_Free(cps);
        return 0;
    }
    const int nheads = t->nheads;
    const unsigned shift = 32u - (unsigned)t->bits;
    Py_ssize_t ngrams = 0;
    /* Hash every n-gram first and ask for its row, then add the rows: the reads into the weight
     * table are the cost, and issuing them together lets them overlap. The same buffer holds
     * the row offsets (one per n-gram: at most nmax per code point). */
    uint32_t rows_small[1536];
    Py_ssize_t cap = len * t->nmax;
    uint32_t *rows = cap <= 1536 ? rows_small : PyMem_Malloc(sizeof(uint32_t) * (size_t)cap);
    if (!rows) {
        if (cps != small)
            PyMem_Free(cps);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        uint32_t h = FNV_OFFSET;
        Py_ssize_t top = len - i < t->nmax ? len - i : t->nmax;
        for (Py_ssize_t n = 1; n <= top; n++) {
            h = (h ^ cps[i + n - 1]) * FNV_PRIME;
            if (n >= t->nmin) {
                uint32_t row = ((uint32_t)(h * MIX) >> shift) * (uint32_t)nheads;
                __builtin_prefetch(t->weights + row);
                rows[ngrams++] = row;
            }
        }
    }
    int64_t acc[MAX_HEADS] = {0};
    for (Py_ssize_t g = 0; g < ngrams; g++) {
        const int8_t *row = t->weights + rows[g];
        for (int k = 0; k < nheads; k++)
            acc[k] += row[k];
    }
    for (int k = 0; k < nheads; k++)
        sums[k] = acc[k];
    if (rows != rows_small)
        PyMem_Free(rows);
    if (cps != small)
        PyMem_Free(cps);
    return ngrams;
}

static PyObject *Table_raw(TableObject *self, PyObject *text)
{
    int64_t sums[MAX_HEADS];
    Py_ssize_t ngrams = sum_heads(self, text, sums, 0);
    if (ngrams < 0)
        return NULL;
    PyObject *t = PyTuple_New(self->nheads);
    if (!t)
        return NULL;
    for (int k = 0; k < self->nheads; k++) {
        PyObject *x = PyLong_FromLongLong((long long)sums[k]);
        if (!x) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, k, x);
    }
    return Py_BuildValue("(Nn)", t, ngrams);
}

/* The heads' values, sum / sqrt(n-grams): the same IEEE operations as scorer.HeadTable.values. */
static PyObject *values_tuple(const int64_t *sums, Py_ssize_t ngrams, int n)
{
    double root = sqrt((double)ngrams);
    PyObject *t = PyTuple_New(n);
    if (!t)
        return NULL;
    for (int k = 0; k < n; k++) {
        PyObject *x = PyFloat_FromDouble((double)sums[k] / root);
        if (!x) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, k, x);
    }
    return t;
}

static PyObject *Table_values(TableObject *self, PyObject *text)
{
    int64_t sums[MAX_HEADS];
    Py_ssize_t ngrams = sum_heads(self, text, sums, 0);
    if (ngrams < 0)
        return NULL;
    return values_tuple(sums, ngrams, self->nheads);
}

static PyObject *Table_score(TableObject *self, PyObject *text)
{
    int64_t sums[MAX_HEADS];
    Py_ssize_t ngrams = sum_heads(self, text, sums, 1);
    if (ngrams < 0)
        return NULL;
    if (ngrams == 0)
        Py_RETURN_NONE;
    double root = sqrt((double)ngrams);
    for (int k = 0; k < self->nheads; k++)
        if ((double)sums[k] / root >= self->threshold[k])
            return values_tuple(sums, ngrams, self->nheads);
    Py_RETURN_NONE;
}

static PyMethodDef Table_methods[] = {
    {"raw", (PyCFunction)Table_raw, METH_O, "raw(compact) -> (every head's integer sum, number of n-grams)"},
    {"values", (PyCFunction)Table_values, METH_O, "values(compact) -> every head's sum / sqrt(n-grams)"},
    {"score", (PyCFunction)Table_score, METH_O,
     "score(compact) -> every head's value, or None when no head reaches its threshold"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "csguard._model.Table",
    .tp_basicsize = sizeof(TableObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Table(weights, nheads, bits, nmin, nmax, thresholds): hashed n-gram linear heads",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Table_init,
    .tp_dealloc = (destructor)Table_dealloc,
    .tp_methods = Table_methods,
};

static struct PyModuleDef modeldef = {
    PyModuleDef_HEAD_INIT, .m_name = "csguard._model", .m_doc = "The learned second opinion's scores in C.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__model(void)
{
    if (PyType_Ready(&TableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&modeldef);
    if (!m)
        return NULL;
    if (PyModule_AddObjectRef(m, "Table", (PyObject *)&TableType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
