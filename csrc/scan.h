/*
 * csguard._scan: the pre-send check's hot path in C (see engine/speedups.py for its Python side).
 *
 * One pass over a message folds every character (the same per-code-point table that
 * csguard.text.tables builds for str.translate), drops noise, collapses runs of one CJK
 * character, runs an Aho-Corasick automaton over the result and decides, from per-pattern
 * flags, whether anything can come of the hits.  Most chat messages are clean: for them
 * scan() returns None without creating a single Python object, which is what makes the
 * guard's throughput comparable to a bare multi-pattern scan.  Everything it decides is
 * conservative: "maybe" means the caller evaluates the message in Python, exactly as the
 * pure-Python path would.
 *
 *   fold.c       the Folder type: folding table, noise, the three views of a message
 *   automaton.c  the Scanner's Aho-Corasick automaton and its hits
 *   gates.c      what can come of a message: number shapes, links, house numbers, handles
 *   module.c     Scanner.scan and the module
 *
 * The semantics mirror csguard/text/normalize.py, text/recognizers/ and engine/evaluate.py; a
 * change there must be made here too (tests/engine/test_speedups.py fails otherwise).
 */
#ifndef CSGUARD_SCAN_H
#define CSGUARD_SCAN_H

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

/* What survives into the compact text: NOISE_RE = [^\w%]|_ removes everything else.  A bitmap
 * for the planes where word characters live (str.isalnum() is false past plane 3). */
#define KEPT_LIMIT 0x40000
extern uint8_t kept_bits[KEPT_LIMIT / 8];

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

typedef struct {
    int32_t *p, *start, *end;
    Py_ssize_t n, cap;
    int32_t small[3 * 64];
} Hits;

extern PyTypeObject FolderType;
extern PyTypeObject ScannerType;

/* fold.c */
void kept_bits_init(void);
int views_build(const FolderObject *f, PyObject *text, Views *v);
void views_free(Views *v);
PyObject *ucs4_str(const uint32_t *buf, Py_ssize_t n);
PyObject *index_list(const Py_ssize_t *buf, Py_ssize_t n);

/* automaton.c */
int Scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds);
void Scanner_dealloc(ScannerObject *self);
PyObject *Scanner_find(ScannerObject *self, PyObject *text);
void hits_init(Hits *h);
void hits_free(Hits *h);
int find_all(const ScannerObject *s, const uint32_t *text, Py_ssize_t n, Hits *h);

/* gates.c */
unsigned int gates_of(const ScannerObject *s, PyObject *text, const Views *v, const Hits *h);
PyObject *scan_digit_runs(PyObject *module, PyObject *text);

#endif
