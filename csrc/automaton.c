/* The Scanner's Aho-Corasick automaton: built from the compiled patterns, run over compact text. */
#include "scan.h"

void Scanner_dealloc(ScannerObject *self)
{
    for (int i = 0; i < NPAGES; i++)
        PyMem_Free(self->apages[i]);
    PyMem_Free(self->root_next);
    PyMem_Free(self->fail);
    PyMem_Free(self->out);
    PyMem_Free(self->dict_link);
    PyMem_Free(self->edge_start);
    PyMem_Free(self->edge_char);
    PyMem_Free(self->edge_next);
    PyMem_Free(self->plen);
    PyMem_Free(self->pflags);
    Py_XDECREF(self->folder);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Build-time trie: children as singly linked lists (sorted into CSR at the end). */
typedef struct {
    int32_t *first_child, *next_sibling;
    uint32_t *label;
    int32_t n, cap;
} Trie;

static int trie_grow(Trie *t)
{
    int32_t cap = t->cap ? t->cap * 2 : 1024;
    int32_t *fc = PyMem_Realloc(t->first_child, cap * sizeof(int32_t));
    if (fc)
        t->first_child = fc;
    int32_t *ns = PyMem_Realloc(t->next_sibling, cap * sizeof(int32_t));
    if (ns)
        t->next_sibling = ns;
    uint32_t *lb = PyMem_Realloc(t->label, cap * sizeof(uint32_t));
    if (lb)
        t->label = lb;
    if (!fc || !ns || !lb) {
        PyErr_NoMemory();
        return -1;
    }
    t->cap = cap;
    return 0;
}

static int32_t trie_child(const Trie *t, int32_t node, uint32_t c)
{
    for (int32_t k = t->first_child[node]; k >= 0; k = t->next_sibling[k])
        if (t->label[k] == c)
            return k;
    return -1;
}

static int cmp_edge(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int Scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *folder, *patterns, *flags, *two_way;
    unsigned int entities;
    static char *kwlist[] = {"folder", "patterns", "flags", "entities", "two_way", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!O!IU", kwlist, &FolderType, &folder, &PyList_Type,
                                     &patterns, &PyList_Type, &flags, &entities, &two_way))
        return -1;
    Py_ssize_t np = PyList_GET_SIZE(patterns);
    if (PyList_GET_SIZE(flags) != np) {
        PyErr_SetString(PyExc_ValueError, "patterns and flags differ in length");
        return -1;
    }
    if (PyUnicode_GET_LENGTH(two_way) > 32) {
        PyErr_SetString(PyExc_ValueError, "two_way: at most 32 characters");
        return -1;
    }
    Py_INCREF(folder);
    self->folder = (FolderObject *)folder;
    self->entities = entities;
    self->ntwo_way = (int)PyUnicode_GET_LENGTH(two_way);
    for (int i = 0; i < self->ntwo_way; i++)
        self->two_way[i] = PyUnicode_READ_CHAR(two_way, i);
    self->npatterns = np;
    self->plen = PyMem_Malloc((np + 1) * sizeof(int32_t));
    self->pflags = PyMem_Malloc((np + 1) * sizeof(uint32_t));
    if (!self->plen || !self->pflags) {
        PyErr_NoMemory();
        return -1;
    }
    /* Alphabet ids. */
    self->alpha = 0;
    for (Py_ssize_t p = 0; p < np; p++) {
        PyObject *pat = PyList_GET_ITEM(patterns, p);
        PyObject *fl = PyList_GET_ITEM(flags, p);
        if (!PyUnicode_Check(pat) || PyUnicode_GET_LENGTH(pat) == 0) {
            PyErr_Format(PyExc_ValueError, "pattern %zd must be a non-empty str", p);
            return -1;
        }
        self->plen[p] = (int32_t)PyUnicode_GET_LENGTH(pat);
        self->pflags[p] = (uint32_t)PyLong_AsUnsignedLong(fl);
        if (PyErr_Occurred())
            return -1;
        for (Py_ssize_t i = 0; i < self->plen[p]; i++) {
            uint32_t cp = PyUnicode_READ_CHAR(pat, i);
            uint32_t **page = &self->apages[cp >> 8];
            if (!*page) {
                *page = PyMem_Calloc(256, sizeof(uint32_t));
                if (!*page) {
                    PyErr_NoMemory();
                    return -1;
                }
            }
            if (!(*page)[cp & 0xff])
                (*page)[cp & 0xff] = (uint32_t)++self->alpha;
        }
    }
    /* The trie. */
    Trie t = {NULL, NULL, NULL, 0, 0};
    int32_t *outs = NULL;
    int rc = -1;
    if (trie_grow(&t) < 0)
        goto done;
    t.first_child[0] = -1;
    t.next_sibling[0] = -1;
    t.n = 1;
    int32_t outs_cap = t.cap;
    outs = PyMem_Malloc(outs_cap * sizeof(int32_t));
    if (!outs) {
        PyErr_NoMemory();
        goto done;
    }
    outs[0] = -1;
    self->root_next = PyMem_Calloc(self->alpha + 1, sizeof(int32_t));
    if (!self->root_next) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t p = 0; p < np; p++) {
        PyObject *pat = PyList_GET_ITEM(patterns, p);
        int32_t node = 0;
        for (Py_ssize_t i = 0; i < self->plen[p]; i++) {
            uint32_t c = alpha_of(self, PyUnicode_READ_CHAR(pat, i));
            int32_t child = node == 0 ? (self->root_next[c] ? self->root_next[c] : -1) : trie_child(&t, node, c);
            if (child < 0) {
                if (t.n == t.cap && trie_grow(&t) < 0)
                    goto done;
                if (t.cap > outs_cap) {
                    int32_t *grown = PyMem_Realloc(outs, t.cap * sizeof(int32_t));
                    if (!grown) {
                        PyErr_NoMemory();
                        goto done;
                    }
                    outs = grown;
                    outs_cap = t.cap;
                }
                child = t.n++;
                t.first_child[child] = -1;
                t.label[child] = c;
                outs[child] = -1;
                t.next_sibling[child] = t.first_child[node];
                t.first_child[node] = child;
                if (node == 0)
                    self->root_next[c] = child;
            }
            node = child;
        }
        outs[node] = (int32_t)p; /* patterns are unique (the compiler dedupes them) */
    }
    int32_t ns = t.n;
    self->nstates = ns;
    self->out = outs;
    outs = NULL;
    self->fail = PyMem_Calloc(ns, sizeof(int32_t));
    self->dict_link = PyMem_Malloc(ns * sizeof(int32_t));
    self->edge_start = PyMem_Calloc(ns + 1, sizeof(int32_t));
    self->edge_char = PyMem_Malloc((ns + 1) * sizeof(uint32_t));
    self->edge_next = PyMem_Malloc((ns + 1) * sizeof(int32_t));
    int32_t *queue = PyMem_Malloc(ns * sizeof(int32_t));
    uint64_t *sortbuf = PyMem_Malloc((ns + 1) * sizeof(uint64_t));
    if (!self->fail || !self->dict_link || !self->edge_start || !self->edge_char || !self->edge_next || !queue ||
        !sortbuf) {
        PyMem_Free(queue);
        PyMem_Free(sortbuf);
        PyErr_NoMemory();
        goto done;
    }
    /* CSR edges for non-root states, sorted by alphabet id. */
    int32_t e = 0;
    for (int32_t s = 0; s < ns; s++) {
        self->edge_start[s] = e;
        if (s == 0)
            continue;
        int32_t first = e;
        for (int32_t k = t.first_child[s]; k >= 0; k = t.next_sibling[k])
            sortbuf[e++] = ((uint64_t)t.label[k] << 32) | (uint32_t)k;
        qsort(sortbuf + first, e - first, sizeof(uint64_t), cmp_edge);
        for (int32_t q = first; q < e; q++) {
            self->edge_char[q] = (uint32_t)(sortbuf[q] >> 32);
            self->edge_next[q] = (int32_t)(sortbuf[q] & 0xffffffffu);
        }
    }
    self->edge_start[ns] = e;
    /* Failure and dictionary links, breadth first. */
    int32_t head = 0, tail = 0;
    self->dict_link[0] = -1;
    for (int32_t k = t.first_child[0]; k >= 0; k = t.next_sibling[k]) {
        self->fail[k] = 0;
        self->dict_link[k] = -1;
        queue[tail++] = k;
    }
    while (head < tail) {
        int32_t u = queue[head++];
        for (int32_t k = t.first_child[u]; k >= 0; k = t.next_sibling[k]) {
            int32_t f = self->fail[u];
            int32_t target;
            for (;;) {
                target = f == 0 ? self->root_next[t.label[k]] : edge_find(self, f, t.label[k]);
                if (target > 0 || f == 0)
                    break;
                f = self->fail[f];
            }
            self->fail[k] = target > 0 ? target : 0;
            int32_t fk = self->fail[k];
            self->dict_link[k] = self->out[fk] >= 0 ? fk : self->dict_link[fk];
            queue[tail++] = k;
        }
    }
    PyMem_Free(queue);
    PyMem_Free(sortbuf);
    rc = 0;
done:
    PyMem_Free(t.first_child);
    PyMem_Free(t.next_sibling);
    PyMem_Free(t.label);
    PyMem_Free(outs);
    return rc;
}

static int hits_push(Hits *h, int32_t p, int32_t start, int32_t end)
{
    if (h->n == h->cap) {
        Py_ssize_t cap = h->cap * 4;
        int32_t *block = PyMem_Malloc(3 * cap * sizeof(int32_t));
        if (!block) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(block, h->p, h->n * sizeof(int32_t));
        memcpy(block + cap, h->start, h->n * sizeof(int32_t));
        memcpy(block + 2 * cap, h->end, h->n * sizeof(int32_t));
        if (h->p != h->small)
            PyMem_Free(h->p);
        h->p = block;
        h->start = block + cap;
        h->end = block + 2 * cap;
        h->cap = cap;
    }
    h->p[h->n] = p;
    h->start[h->n] = start;
    h->end[h->n] = end;
    h->n++;
    return 0;
}

void hits_init(Hits *h)
{
    h->p = h->small;
    h->start = h->small + 64;
    h->end = h->small + 128;
    h->n = 0;
    h->cap = 64;
}

void hits_free(Hits *h)
{
    if (h->p != h->small)
        PyMem_Free(h->p);
}

/* Every occurrence of every pattern, ordered by end, longest first (as ahocorasick-rs reports). */
int find_all(const ScannerObject *s, const uint32_t *text, Py_ssize_t n, Hits *h)
{
    int32_t state = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        state = step(s, state, alpha_of(s, text[j]));
        for (int32_t q = s->out[state] >= 0 ? state : s->dict_link[state]; q >= 0; q = s->dict_link[q]) {
            int32_t p = s->out[q];
            if (hits_push(h, p, (int32_t)(j + 1 - s->plen[p]), (int32_t)(j + 1)) < 0)
                return -1;
        }
    }
    return 0;
}

static PyObject *hits_list(const Hits *h)
{
    PyObject *list = PyList_New(h->n);
    if (!list)
        return NULL;
    for (Py_ssize_t i = 0; i < h->n; i++) {
        PyObject *t = Py_BuildValue("(iii)", h->p[i], h->start[i], h->end[i]);
        if (!t) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, t);
    }
    return list;
}

PyObject *Scanner_find(ScannerObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "find() takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    uint32_t *buf = PyUnicode_AsUCS4Copy(text);
    if (!buf)
        return NULL;
    Hits h;
    hits_init(&h);
    PyObject *r = find_all(self, buf, n, &h) < 0 ? NULL : hits_list(&h);
    hits_free(&h);
    PyMem_Free(buf);
    return r;
}
