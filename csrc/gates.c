/* What can come of a message: the necessary conditions scan() checks before Python evaluates it. */
#include "scan.h"

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
PyObject *scan_digit_runs(PyObject *module, PyObject *text)
{
    (void)module; /* METH_O fixes the signature; the function needs no module state */
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
unsigned int gates_of(const ScannerObject *s, PyObject *text, const Views *v, const Hits *h)
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
