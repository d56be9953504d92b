/* Scanner.scan and the csguard._scan module. */
#include "scan.h"

static PyObject *spanned_hits(const Hits *h, const Views *v)
{
    PyObject *list = PyList_New(h->n);
    if (!list)
        return NULL;
    for (Py_ssize_t i = 0; i < h->n; i++) {
        /* By hand rather than Py_BuildValue, which parses its format for every hit. */
        Py_ssize_t fields[5] = {h->p[i], h->start[i], h->end[i], v->cmap[h->start[i]], v->cmap[h->end[i] - 1] + 1};
        PyObject *t = PyTuple_New(5);
        if (!t) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, t);
        for (int k = 0; k < 5; k++) {
            PyObject *x = PyLong_FromSsize_t(fields[k]);
            if (!x) {
                Py_DECREF(list);
                return NULL;
            }
            PyTuple_SET_ITEM(t, k, x);
        }
    }
    return list;
}

/* scan(text) -> None when nothing can come of the message, else
 * (folded, compact, compact_map, hits as (pattern, start, end, original start, original end), gates). */
static PyObject *Scanner_scan(ScannerObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "scan() takes a str");
        return NULL;
    }
    Views v;
    if (views_build(self->folder, text, &v) < 0)
        return NULL;
    Hits h;
    hits_init(&h);
    PyObject *r = NULL;
    if (find_all(self, v.compact, v.ncompact, &h) < 0)
        goto done;
    unsigned int gates = gates_of(self, text, &v, &h);
    if (!gates) {
        r = Py_NewRef(Py_None);
        goto done;
    }
    if (v.one_to_one)
        gates |= G_ONE_TO_ONE;
    r = Py_BuildValue("(NNNNI)", ucs4_str(v.folded, v.nfolded), ucs4_str(v.compact, v.ncompact),
                      index_list(v.cmap, v.ncompact), spanned_hits(&h, &v), gates);
done:
    hits_free(&h);
    views_free(&v);
    return r;
}

static PyObject *Scanner_get_states(ScannerObject *self, void *closure)
{
    (void)closure; /* getter signature; no per-attribute data */
    return PyLong_FromLong(self->nstates);
}

static PyGetSetDef Scanner_getset[] = {
    {"states", (getter)Scanner_get_states, NULL, "number of automaton states", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)Scanner_scan, METH_O,
     "scan(text) -> None if nothing can be found, else (folded, compact, compact_map, hits, gates)"},
    {"find", (PyCFunction)Scanner_find, METH_O, "find(compact) -> [(pattern, start, end), ...]"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "csguard._scan.Scanner",
    .tp_basicsize = sizeof(ScannerObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scanner(folder, patterns, flags, entities, two_way): normalize, match and triage in one pass",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scanner_init,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_methods = Scanner_methods,
    .tp_getset = Scanner_getset,
};

static PyMethodDef module_methods[] = {
    {"digit_runs", (PyCFunction)scan_digit_runs, METH_O,
     "digit_runs(folded) -> [(start, end, digits, spelled)]: runs of 7+ digits (recognizers/digits.py)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef scanmodule = {
    PyModuleDef_HEAD_INIT, .m_name = "csguard._scan", .m_doc = "The pre-send check's hot path in C.", .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__scan(void)
{
    if (PyType_Ready(&FolderType) < 0 || PyType_Ready(&ScannerType) < 0)
        return NULL;
    kept_bits_init();
    PyObject *m = PyModule_Create(&scanmodule);
    if (!m)
        return NULL;
    if (PyModule_AddObjectRef(m, "Folder", (PyObject *)&FolderType) < 0 ||
        PyModule_AddObjectRef(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    PyModule_AddIntConstant(m, "F_TERM", F_TERM);
    PyModule_AddIntConstant(m, "F_FIRST", F_FIRST);
    PyModule_AddIntConstant(m, "F_THEN", F_THEN);
    PyModule_AddIntConstant(m, "F_ALLOW", F_ALLOW);
    PyModule_AddIntConstant(m, "F_THIRD_PARTY", F_THIRD_PARTY);
    PyModule_AddIntConstant(m, "T_ADDRESS", T_ADDRESS);
    PyModule_AddIntConstant(m, "T_HANDLE", T_HANDLE);
    PyModule_AddIntConstant(m, "T_URL", T_URL);
    PyModule_AddIntConstant(m, "T_ALWAYS", T_ALWAYS);
    PyModule_AddIntConstant(m, "E_DIGITS", E_DIGITS);
    PyModule_AddIntConstant(m, "E_EMAIL", E_EMAIL);
    PyModule_AddIntConstant(m, "G_ONE_TO_ONE", G_ONE_TO_ONE);
    PyModule_AddIntConstant(m, "G_TERMS", G_TERMS);
    PyModule_AddIntConstant(m, "G_PHONE", G_PHONE);
    PyModule_AddIntConstant(m, "G_LANDLINE", G_LANDLINE);
    PyModule_AddIntConstant(m, "G_ID_CARD", G_ID_CARD);
    PyModule_AddIntConstant(m, "G_BANK_CARD", G_BANK_CARD);
    PyModule_AddIntConstant(m, "G_ADDRESS", G_ADDRESS);
    PyModule_AddIntConstant(m, "G_HANDLE", G_HANDLE);
    PyModule_AddIntConstant(m, "G_URL", G_URL);
    PyModule_AddIntConstant(m, "G_EMAIL", G_EMAIL);
    PyModule_AddIntConstant(m, "G_ALWAYS", G_ALWAYS);
    PyModule_AddIntConstant(m, "G_TWO_WAY", G_TWO_WAY);
    return m;
}
