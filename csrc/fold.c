/* The Folder type: per-code-point folding, noise removal and run collapsing (see scan.h). */
#include "scan.h"

uint8_t kept_bits[KEPT_LIMIT / 8];

void kept_bits_init(void)
{
    for (uint32_t ch = 0; ch < KEPT_LIMIT; ch++)
        if (ch == '%' || (ch != '_' && Py_UNICODE_ISALNUM(ch)))
            kept_bits[ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

static void Folder_dealloc(FolderObject *self)
{
    for (int i = 0; i < NPAGES; i++)
        PyMem_Free(self->pages[i]);
    PyMem_Free(self->multi);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Folder_init(FolderObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *table;
    static char *kwlist[] = {"table", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!", kwlist, &PyDict_Type, &table))
        return -1;
    Py_ssize_t pos = 0, cap = 1024;
    PyObject *key, *value;
    self->multi = PyMem_Malloc(cap * sizeof(uint32_t));
    if (!self->multi) {
        PyErr_NoMemory();
        return -1;
    }
    self->multi_len = 0;
    self->max_expand = 1;
    while (PyDict_Next(table, &pos, &key, &value)) {
        long cp = PyLong_AsLong(key);
        if (cp == -1 && PyErr_Occurred())
            return -1;
        if (cp < 0 || cp >= 0x110000 || !PyUnicode_Check(value)) {
            PyErr_SetString(PyExc_ValueError, "fold table: keys must be code points, values strings");
            return -1;
        }
        uint32_t **page = &self->pages[cp >> 8];
        if (!*page) {
            *page = PyMem_Malloc(256 * sizeof(uint32_t));
            if (!*page) {
                PyErr_NoMemory();
                return -1;
            }
            for (uint32_t i = 0; i < 256; i++)
                (*page)[i] = ((uint32_t)cp & ~0xffu) | i;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(value);
        if (n == 1) {
            (*page)[cp & 0xff] = PyUnicode_READ_CHAR(value, 0);
            continue;
        }
        if (self->multi_len + n + 1 > cap) {
            cap = (self->multi_len + n + 1) * 2;
            uint32_t *grown = PyMem_Realloc(self->multi, cap * sizeof(uint32_t));
            if (!grown) {
                PyErr_NoMemory();
                return -1;
            }
            self->multi = grown;
        }
        (*page)[cp & 0xff] = MULTI | (uint32_t)self->multi_len;
        self->multi[self->multi_len++] = (uint32_t)n;
        for (Py_ssize_t i = 0; i < n; i++)
            self->multi[self->multi_len++] = PyUnicode_READ_CHAR(value, i);
        if (n > self->max_expand)
            self->max_expand = n;
    }
    return 0;
}

void views_free(Views *v)
{
    if (v->block != (void *)v->small)
        PyMem_Free(v->block);
}

int views_build(const FolderObject *f, PyObject *text, Views *v)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t cap = n * f->max_expand + 1;
    /* folded, compact (<= folded) and the compact -> original map */
    size_t bytes = cap * (2 * sizeof(uint32_t) + sizeof(Py_ssize_t));
    v->block = bytes <= sizeof v->small ? (void *)v->small : PyMem_Malloc(bytes);
    if (!v->block) {
        PyErr_NoMemory();
        return -1;
    }
    v->folded = v->block;
    v->compact = v->folded + cap;
    v->cmap = (Py_ssize_t *)(v->compact + cap);
    uint32_t one, run_ch = 0;
    const uint32_t *out;
    Py_ssize_t nf = 0, nc = 0, run_len = 0;
    v->one_to_one = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        int k = folder_out(f, PyUnicode_READ(kind, data, i), &out, &one);
        if (k != 1)
            v->one_to_one = 0;
        for (int j = 0; j < k; j++) {
            uint32_t ch = out[j];
            v->folded[nf++] = ch;
            if (!is_kept(ch))
                continue;
            /* REPEAT_RE on the compact text: a run of 3+ of one CJK character keeps its first. */
            if (ch == run_ch) {
                run_len++;
            } else {
                run_ch = ch;
                run_len = 1;
            }
            if (run_len >= 3 && is_cjk(ch)) {
                if (run_len == 3)
                    nc--; /* the second of the run was kept while it could still be a pair */
                continue;
            }
            v->compact[nc] = ch;
            v->cmap[nc++] = i;
        }
    }
    v->nfolded = nf;
    v->ncompact = nc;
    return 0;
}

PyObject *ucs4_str(const uint32_t *buf, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
}

PyObject *index_list(const Py_ssize_t *buf, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    if (!list)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyLong_FromSsize_t(buf[i]);
        if (!x) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, x);
    }
    return list;
}

static PyObject *Folder_normalize(FolderObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "normalize() takes a str");
        return NULL;
    }
    Views v;
    if (views_build(self, text, &v) < 0)
        return NULL;
    PyObject *r = Py_BuildValue("(NNN)", ucs4_str(v.folded, v.nfolded), ucs4_str(v.compact, v.ncompact),
                                index_list(v.cmap, v.ncompact));
    views_free(&v);
    return r;
}

static PyObject *Folder_compact(FolderObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "compact() takes a str");
        return NULL;
    }
    Views v;
    if (views_build(self, text, &v) < 0)
        return NULL;
    PyObject *r = ucs4_str(v.compact, v.ncompact);
    views_free(&v);
    return r;
}

static PyMethodDef Folder_methods[] = {
    {"normalize", (PyCFunction)Folder_normalize, METH_O,
     "normalize(text) -> (folded, compact, compact_map)"},
    {"compact", (PyCFunction)Folder_compact, METH_O, "compact(text) -> the compact view alone"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject FolderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "csguard._scan.Folder",
    .tp_basicsize = sizeof(FolderObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Folder(table): per-code-point folding, noise removal and run collapsing",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Folder_init,
    .tp_dealloc = (destructor)Folder_dealloc,
    .tp_methods = Folder_methods,
};
