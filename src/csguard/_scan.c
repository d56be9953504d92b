/*
 * csguard._scan: the pre-send check's hot path in C.
 *
 * One pass over a message folds every character (the same per-code-point table that
 * csguard.text.tables builds for str.translate), drops noise, collapses runs of one CJK
 * character, runs an Aho-Corasick automaton over the result and decides, from per-pattern
 * flags, whether anything can come of the hits.  Most chat messages are clean: for them
 * scan() returns None without creating a single Python object, which is what makes the
 * guard's throughput comparable to a bare multi-pattern scan.  Everything it decides is
 * conservative: "maybe" means the caller evaluates the message in Python, exactly as the
 * pure-Python path would (tests compare both paths on every shipped example and on random text).
 *
 * The semantics mirror csguard/text/normalize.py and engine/evaluate.py; a change there must be
 * made here too (tests/engine/test_speedups.py fails otherwise).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define NPAGES (0x110000 >> 8)
#define MULTI 0x80000000u

/* Per-pattern flags, set by csguard.engine.speedups. */
#define F_TERM 1u
#define F_FIRST 2u
#define F_THEN 4u
#define F_ALLOW 8u        /* a global allow word */
#define F_THIRD_PARTY 16u /* a third-party context marker */
#define T_ADDRESS 32u
#define T_HANDLE 64u      /* qq / wechat_id: need a digit */
#define T_URL 128u        /* need something dot-like */
#define T_ALWAYS 256u     /* any other recognizer trigger */

/* What scan() found worth evaluating (its last return value). */
#define G_EVALUATE 1u
#define G_ONE_TO_ONE 2u /* every character folded to exactly one: folded offsets are original ones */
#define G_TERMS 4u      /* a rule term outside every allow word, or both words of a near-pair */
#define G_PHONE 8u      /* a digit run of a shape the phone recognizer could accept */
#define G_ADDRESS 16u
#define G_HANDLE 32u
#define G_URL 64u
#define G_EMAIL 128u
#define G_ALWAYS 256u
#define G_TWO_WAY 512u
#define G_LANDLINE 1024u
#define G_ID_CARD 2048u
#define G_BANK_CARD 4096u

/* Per-scanner recognizer presence. */
#define E_DIGITS 1u /* phone, landline, id_card, bank_card: a run of 7 digits */
#define E_EMAIL 2u  /* an "@" */

/* ------------------------------------------------------------------ Folder */

typedef struct {
    PyObject_HEAD
    uint32_t *pages[NPAGES]; /* NULL: identity; else 256 entries: code point, or MULTI|offset */
    uint32_t *multi;         /* at offset: count, then that many code points */
    Py_ssize_t multi_len;
    Py_ssize_t max_expand;   /* longest output of one character (at least 1) */
} FolderObject;

static inline int folder_out(const FolderObject *f, uint32_t cp, const uint32_t **out, uint32_t *one)
{
    const uint32_t *page = cp < 0x110000 ? f->pages[cp >> 8] : NULL;
    uint32_t v = page ? page[cp & 0xff] : cp;
    if (v & MULTI) {
        const uint32_t *m = f->multi + (v & ~MULTI);
        *out = m + 1;
        return (int)m[0];
    }
    *one = v;
    *out = one;
    return 1;
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

/* What survives into the compact text: NOISE_RE = [^\w%]|_ removes everything else.  A bitmap
 * for the planes where word characters live (str.isalnum() is false past plane 3). */
#define KEPT_LIMIT 0x40000
static uint8_t kept_bits[KEPT_LIMIT / 8];

static void kept_bits_init(void)
{
    for (uint32_t ch = 0; ch < KEPT_LIMIT; ch++)
        if (ch == '%' || (ch != '_' && Py_UNICODE_ISALNUM(ch)))
            kept_bits[ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

static inline int is_kept(uint32_t ch)
{
    return ch < KEPT_LIMIT ? (kept_bits[ch >> 3] >> (ch & 7)) & 1 : (ch != '_' && Py_UNICODE_ISALNUM(ch));
}

static inline int is_cjk(uint32_t ch) { return ch >= 0x3400 && ch <= 0x9fff; }

static inline int is_digitish(uint32_t ch)
{
    if (ch >= '0' && ch <= '9')
        return 1;
    switch (ch) {
    case 0x96f6: /* 零 */ case 0x3007: /* 〇 */ case 0x4e00: case 0x4e8c: case 0x4e09: case 0x56db:
    case 0x4e94: case 0x516d: case 0x4e03: case 0x516b: case 0x4e5d: /* 一..九 */
    case 0x5e7a: /* 幺 */ case 0x6d1e: /* 洞 */
        return 1;
    }
    return 0;
}

/* A message's three views in C buffers. */
typedef struct {
    uint32_t *folded;
    Py_ssize_t nfolded;
    uint32_t *compact;
    Py_ssize_t *cmap; /* compact index -> original index */
    Py_ssize_t ncompact;
    int one_to_one;   /* every character folded to exactly one */
    void *block;
    uint64_t small[1024]; /* messages up to a few hundred characters need no allocation */
} Views;

static void views_free(Views *v)
{
    if (v->block != (void *)v->small)
        PyMem_Free(v->block);
}

static int views_build(const FolderObject *f, PyObject *text, Views *v)
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

static PyObject *ucs4_str(const uint32_t *buf, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
}

static PyObject *index_list(const Py_ssize_t *buf, Py_ssize_t n)
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

static PyTypeObject FolderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "csguard._scan.Folder",
    .tp_basicsize = sizeof(FolderObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Folder(table): per-code-point folding, noise removal and run collapsing",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Folder_init,
    .tp_dealloc = (destructor)Folder_dealloc,
    .tp_methods = Folder_methods,
};

/* ----------------------------------------------------------------- Scanner */

typedef struct {
    PyObject_HEAD
    FolderObject *folder;
    uint32_t *apages[NPAGES]; /* code point -> alphabet id (0: in no pattern) */
    int32_t *root_next;       /* alphabet id -> state (0: stay at the root) */
    Py_ssize_t alpha;
    int32_t nstates;
    int32_t *fail, *out, *dict_link; /* out: pattern index or -1 */
    int32_t *edge_start;             /* CSR over states: edges sorted by alphabet id */
    uint32_t *edge_char;
    int32_t *edge_next;
    int32_t *plen;
    uint32_t *pflags;
    Py_ssize_t npatterns;
    uint32_t entities;
    uint32_t two_way[32]; /* characters that make a message read two ways (hearts) */
    int ntwo_way;
} ScannerObject;

static inline uint32_t alpha_of(const ScannerObject *s, uint32_t cp)
{
    const uint32_t *page = cp < 0x110000 ? s->apages[cp >> 8] : NULL;
    return page ? page[cp & 0xff] : 0;
}

static inline int32_t edge_find(const ScannerObject *s, int32_t state, uint32_t c)
{
    int32_t lo = s->edge_start[state], hi = s->edge_start[state + 1];
    while (lo < hi) {
        int32_t mid = (lo + hi) >> 1;
        if (s->edge_char[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < s->edge_start[state + 1] && s->edge_char[lo] == c) ? s->edge_next[lo] : -1;
}

static inline int32_t step(const ScannerObject *s, int32_t state, uint32_t c)
{
    if (c == 0)
        return 0;
    for (;;) {
        if (state == 0)
            return s->root_next[c];
        int32_t t = edge_find(s, state, c);
        if (t >= 0)
            return t;
        state = s->fail[state];
    }
}

static void Scanner_dealloc(ScannerObject *self)
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

static int Scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds)
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

typedef struct {
    int32_t *p, *start, *end;
    Py_ssize_t n, cap;
    int32_t small[3 * 64];
} Hits;

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

static void hits_init(Hits *h)
{
    h->p = h->small;
    h->start = h->small + 64;
    h->end = h->small + 128;
    h->n = 0;
    h->cap = 64;
}

static void hits_free(Hits *h)
{
    if (h->p != h->small)
        PyMem_Free(h->p);
}

/* Every occurrence of every pattern, ordered by end, longest first (as ahocorasick-rs reports). */
static int find_all(const ScannerObject *s, const uint32_t *text, Py_ssize_t n, Hits *h)
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

static PyObject *Scanner_find(ScannerObject *self, PyObject *text)
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

static int contains_seq(const uint32_t *buf, Py_ssize_t n, const char *word)
{
    Py_ssize_t k = (Py_ssize_t)strlen(word);
    for (Py_ssize_t i = 0; i + k <= n; i++) {
        Py_ssize_t j = 0;
        while (j < k && buf[i + j] == (uint32_t)(unsigned char)word[j])
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

static inline uint32_t ascii_digit(uint32_t ch)
{
    switch (ch) {
    case 0x96f6: case 0x3007: case 0x6d1e: return '0'; /* 零 〇 洞 */
    case 0x4e00: case 0x5e7a: return '1';              /* 一 幺 */
    case 0x4e8c: return '2';
    case 0x4e09: return '3';
    case 0x56db: return '4';
    case 0x4e94: return '5';
    case 0x516d: return '6';
    case 0x4e03: return '7';
    case 0x516b: return '8';
    case 0x4e5d: return '9';
    }
    return ch;
}

/* Which number recognizers could accept these digits (a run of 7+)?  The same length and
 * prefix conditions as text/recognizers/digits.py, without its context checks (so: "maybe"). */
static unsigned int number_shapes(const char *d, Py_ssize_t n)
{
    unsigned int shapes = 0;
    if ((n == 11 && d[0] == '1' && d[1] >= '3') || (n == 13 && d[0] == '8' && d[1] == '6' && d[2] == '1' && d[3] >= '3'))
        shapes |= G_PHONE; /* mobile, maybe with +86 */
    if ((n == 10 && (!memcmp(d, "400", 3) || !memcmp(d, "800", 3))) || (n >= 10 && n <= 12 && d[0] == '0' && d[1] != '0'))
        shapes |= G_LANDLINE; /* service number or area code */
    if (n == 17 || n == 18)
        shapes |= G_ID_CARD; /* 17 + a trailing x, or 18 */
    if (n >= 16 && n <= 19) {
        int total = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            int x = d[n - 1 - i] - '0';
            if (i % 2)
                x = x > 4 ? x * 2 - 9 : x * 2;
            total += x;
        }
        if (total % 10 == 0 || (d[0] == '6' && d[1] == '2'))
            shapes |= G_BANK_CARD; /* Luhn, or UnionPay's 62 */
    }
    return shapes;
}

/* digit_runs(): a digit, then 6+ times up to three separators and a digit, in the folded text;
 * skipped when glued to a Latin letter (SF1234...) or next to a "*" (masked).  Finds the next
 * run at or after *pos; its digits (as ASCII, at most cap of them stored) go to d. */
static int next_run(const uint32_t *f, Py_ssize_t n, Py_ssize_t *pos, Py_ssize_t *rs, Py_ssize_t *re, char *d,
                    Py_ssize_t cap, Py_ssize_t *nd_out)
{
    for (Py_ssize_t i = *pos; i < n;) {
        if (!is_digitish(f[i])) {
            i++;
            continue;
        }
        Py_ssize_t start = i, end = i + 1, nd = 0;
        d[nd++] = (char)ascii_digit(f[i]);
        for (;;) {
            Py_ssize_t j = end, gap = 0;
            while (j < n && gap < 3 && !is_digitish(f[j]) && !Py_UNICODE_ISALNUM(f[j]))
                j++, gap++;
            if (j < n && is_digitish(f[j])) {
                if (nd < cap)
                    d[nd] = (char)ascii_digit(f[j]);
                nd++;
                end = j + 1;
            } else {
                break;
            }
        }
        i = end;
        if (nd < 7)
            continue;
        if (start > 0 && f[start - 1] < 128 && Py_UNICODE_ISALPHA(f[start - 1]))
            continue;
        int masked = 0;
        for (Py_ssize_t k = start >= 2 ? start - 2 : 0; k < n && k < end + 2; k++)
            masked |= f[k] == '*';
        if (masked)
            continue;
        *pos = i;
        *rs = start;
        *re = end;
        *nd_out = nd;
        return 1;
    }
    *pos = n;
    return 0;
}

#define RUN_CAP 64

static unsigned int number_gates(const Views *v)
{
    unsigned int gates = 0;
    char d[RUN_CAP];
    Py_ssize_t pos = 0, start, end, nd;
    while (next_run(v->folded, v->nfolded, &pos, &start, &end, d, RUN_CAP, &nd))
        gates |= nd > RUN_CAP ? G_PHONE | G_LANDLINE | G_ID_CARD | G_BANK_CARD : number_shapes(d, nd);
    return gates;
}

/* digit_runs(folded) -> [(start, end, digits, spelled)], as recognizers/digits.py computes them. */
static PyObject *scan_digit_runs(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "digit_runs() takes a str");
        return NULL;
    }
    uint32_t *f = PyUnicode_AsUCS4Copy(text);
    if (!f)
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), pos = 0, start, end, nd;
    char *d = PyMem_Malloc(n + 1);
    PyObject *list = d ? PyList_New(0) : NULL;
    if (!d)
        PyErr_NoMemory();
    while (list && next_run(f, n, &pos, &start, &end, d, n + 1, &nd)) {
        int spelled = nd != end - start;
        for (Py_ssize_t k = start; k < end && !spelled; k++)
            spelled = f[k] >= 128;
        PyObject *item = Py_BuildValue("(nns#O)", start, end, d, nd, spelled ? Py_True : Py_False);
        if (!item || PyList_Append(list, item) < 0)
            Py_CLEAR(list);
        Py_XDECREF(item);
    }
    PyMem_Free(d);
    PyMem_Free(f);
    return list;
}

static inline int ascii_alnum(uint32_t ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* online._URL_RE: "http(s)://", "www" + dot, or a Latin/digit label, a dot ("." "。" "点" "dot",
 * maybe bracketed and spaced: at most three characters each side) and a Latin top-level domain.
 * So: either of the first two words, or a dot with a label character within six characters
 * before it and a Latin letter within six after it. */
static int could_hold_link(const Views *v)
{
    const uint32_t *f = v->folded;
    Py_ssize_t n = v->nfolded;
    if (contains_seq(f, n, "http") || contains_seq(f, n, "www"))
        return 1;
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_ssize_t len = 0;
        if (f[j] == '.' || f[j] == 0x3002 /* 。 */ || f[j] == 0x70b9 /* 点 */)
            len = 1;
        else if (j + 3 <= n && f[j] == 'd' && f[j + 1] == 'o' && f[j + 2] == 't')
            len = 3;
        if (!len)
            continue;
        int before = 0, after = 0;
        for (Py_ssize_t k = j - 1; k >= 0 && k >= j - 6 && !before; k--)
            before = ascii_alnum(f[k]) || f[k] == '-';
        for (Py_ssize_t k = j + len; k < n && k < j + len + 6 && !after; k++)
            after = (f[k] >= 'a' && f[k] <= 'z') || (f[k] >= 'A' && f[k] <= 'Z');
        if (before && after)
            return 1;
    }
    return 0;
}

/* _HOUSE_RE: a digit right before 号/栋/幢/楼/室/单(元)/弄; every address match has one. */
static int has_house_number(const Views *v)
{
    for (Py_ssize_t i = 1; i < v->nfolded; i++) {
        uint32_t ch = v->folded[i];
        if ((ch == 0x53f7 || ch == 0x680b || ch == 0x5e62 || ch == 0x697c || ch == 0x5ba4 || ch == 0x5355 ||
             ch == 0x5f04) && Py_UNICODE_ISDECIMAL(v->folded[i - 1]))
            return 1;
    }
    return 0;
}

/* What the hits and the text's digits, dots and symbols can lead to: 0 when nothing, else
 * G_EVALUATE plus the recognizer gates that passed.  Mirrors the fast path of evaluate() and
 * the gates of _run_recognizers(), with sharper necessary conditions; errs towards "maybe". */
static unsigned int gates_of(const ScannerObject *s, PyObject *text, const Views *v, const Hits *h)
{
    unsigned int gates = 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n && !(gates & G_TWO_WAY); i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        /* every two-way symbol is in U+2600..U+27BF or past U+1F000: skip CJK at once */
        if ((ch >= 0x2600 && ch < 0x27c0) || ch >= 0x1f000)
            for (int k = 0; k < s->ntwo_way; k++)
                if (ch == s->two_way[k])
                    gates |= G_TWO_WAY;
    }
    uint32_t any = 0;
    for (Py_ssize_t i = 0; i < h->n; i++)
        any |= s->pflags[h->p[i]];
    if ((any & F_FIRST) && (any & F_THEN))
        gates |= G_TERMS;
    if ((any & F_TERM) && h->n > 64)
        gates |= G_TERMS;
    else if (any & F_TERM) {
        for (Py_ssize_t i = 0; i < h->n && !(gates & G_TERMS); i++) {
            if (!(s->pflags[h->p[i]] & F_TERM))
                continue;
            int allowed = 0;
            for (Py_ssize_t a = 0; a < h->n && !allowed; a++)
                allowed = (s->pflags[h->p[a]] & F_ALLOW) && h->start[a] <= h->start[i] && h->end[i] <= h->end[a];
            if (!allowed)
                gates |= G_TERMS;
        }
    }
    int any_digit = 0, run7 = 0;
    Py_ssize_t run = 0;
    for (Py_ssize_t j = 0; j < v->ncompact; j++) {
        if (is_digitish(v->compact[j])) {
            any_digit = 1;
            if (++run >= 7)
                run7 = 1;
        } else {
            run = 0;
        }
    }
    if (run7 && (s->entities & E_DIGITS))
        gates |= number_gates(v);
    if ((any & T_ADDRESS) && (run7 || (any & F_THIRD_PARTY)) && has_house_number(v))
        gates |= G_ADDRESS;
    if ((any & T_HANDLE) && any_digit) {
        /* A QQ number or WeChat ID starts within four characters after its marker's trigger
         * (微|信号是|abc123, 扣扣|号码|123); the handle itself begins with a Latin letter or digit. */
        for (Py_ssize_t i = 0; i < h->n && !(gates & G_HANDLE); i++) {
            if (!(s->pflags[h->p[i]] & T_HANDLE))
                continue;
            for (Py_ssize_t j = h->end[i]; j < v->ncompact && j <= h->end[i] + 3; j++)
                if (v->compact[j] < 128 && Py_UNICODE_ISALNUM(v->compact[j]))
                    gates |= G_HANDLE;
        }
    }
    if (any & T_ALWAYS)
        gates |= G_ALWAYS;
    if ((any & T_URL) && could_hold_link(v))
        gates |= G_URL;
    if (s->entities & E_EMAIL)
        for (Py_ssize_t j = 0; j < v->nfolded && !(gates & G_EMAIL); j++)
            if (v->folded[j] == '@')
                gates |= G_EMAIL;
    return gates ? gates | G_EVALUATE : 0;
}

static PyObject *spanned_hits(const Hits *h, const Views *v)
{
    PyObject *list = PyList_New(h->n);
    if (!list)
        return NULL;
    for (Py_ssize_t i = 0; i < h->n; i++) {
        PyObject *t = Py_BuildValue("(iiinn)", h->p[i], h->start[i], h->end[i], v->cmap[h->start[i]],
                                    v->cmap[h->end[i] - 1] + 1);
        if (!t) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, t);
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

static PyTypeObject ScannerType = {
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
