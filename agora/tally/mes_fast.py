"""MES with add1 completion for cost utilities (approval and ranking ballots), with numpy.

The same algorithm as :class:`agora.tally.rules._Run` (rounds, the limit T, checkpoints,
resume at a larger per-voter budget), specialised to cost utilities, where it can work on
arrays, plus jumps certified by monotonicity (:func:`add1`).

* Every supporter of project j has the utility cost_j, so in the round that selects j
  every *rich* supporter pays the same amount p_j = rho_j x cost_j and every *poor* one
  pays all it has. A group of identical ballots is therefore either *dead* (budget 0 for
  ever) or alive with the exact budget ``b - sum of p_k`` over the selected projects k it
  approves. The exact numbers of a run are the p_k (gmpy2 rationals); the budgets of the
  groups are float64 arrays next to them, with a bound on their error that is kept up
  to date (``dv`` for the values, ``ds`` for the slopes), and so is the money of every
  project's supporters (``avail``, bound ``eav``).
* Every decision (is a project affordable, which project has the smallest rho, ties by
  id, who is poor in the selected project) is made on floats only when the floats are
  further apart than their error bound; otherwise it is made exactly (the exact budget
  of a group is b minus the p_k it paid; the exact money of a set of groups is
  ``M b - sum N_k p_k`` with N_k the number of its voters that approve the k-th selected
  project).
* The limit T (how far the per-voter budget may grow before a comparison changes) only
  needs to be a lower bound: a smaller T means one more run, never another result. It is
  computed on floats, rounded towards 0 with the error bounds. Once T < 1, the next run
  (at b + 1 at least) restarts at this round anyway: the rest of the run is counted
  without limits, slopes or checkpoints.

In approval MES every alive budget grows with the per-voter budget (slope >= 1) and every
payment p_k shrinks or stays (slope <= 0), by induction over the rounds; hence rich
supporters stay rich and affordable projects stay affordable when b grows, and only three
kinds of comparisons can change: a poor supporter of the selected project becomes rich,
an unaffordable project becomes affordable, another project's rho crosses the selected
one's.

Monotonicity (used for the jumps): while the selected projects are the same, every budget
after every round is a non-decreasing function of the per-voter budget b (the payment
p that solves sum min(B_g, p) = cost can only shrink when the B_g grow, and max(0, B - p)
then grows), so every rho is non-increasing in b and every project's money
non-decreasing. Hence if the runs at b1 < b2 select the same projects in the same order
and, in every round, every other project still affordable at b2 has (rho at b2, id) >
(rho of the selected project at b1, id), every per-voter budget between b1 and b2 gives
that same outcome (induction over the rounds).

Slopes (used for the jumps too, :meth:`Run._lipschitz`): with the same decisions before a
round, the poor supporters of a project at b2 > b1 were poor at b1 and its rich
multiplicity only grows, so on [b1, b2] the slope of a payment is at most (the poor
multiplicity at b1, each group weighted by a bound of its budget's slope) / (the rich
multiplicity at b1), and a budget's slope is at most 1 + the sum of these bounds for the
selected projects it approves (groups poor at b2 in an earlier round are dead on all of
[b1, b2] and count for nothing). A rival whose rho at b2 falls below the selected
project's rho at b1 may then still be proved above it on all of [b1, b2], from both ends:
rho_rival >= rho_rival(b1) - D_rival (b - b1) and rho_s <= rho_s(b2) + D_s (b2 - b).
"""

from __future__ import annotations

import math

import numpy as np

from . import rationals
from .election import TallyError

EPS = 2.3e-16  # a bound on the relative error of one float64 operation (> 2**-52)
INF = float("inf")
SKIPPED = object()  # _feval: rho proved above the bound asked
SMALL = 48  # exact money of at most this many groups: plain Python, else numpy


def _dot(a, b):
    """a . b, in pieces short enough for OpenBLAS to stay on one thread (its threads would
    spin on the core that other processes need, for no gain on vectors this short)."""
    n = len(a)
    if n <= 8192:
        return np.dot(a, b)
    return sum(np.dot(a[i : i + 8192], b[i : i + 8192]) for i in range(0, n, 8192))


class Prepared:
    """Arrays that do not depend on the per-voter budget."""

    def __init__(self, prep):
        self.prep = prep
        self.n = float(prep.n)
        self.P = P = len(prep.ids)
        self.G = G = len(prep.mult)
        self._nbr = {}
        self.mult = prep.mult
        self.m = np.array(prep.mult, dtype=np.float64)
        self.ids = prep.ids
        self.cost = prep.qcosts
        self.fcost = [float(c) for c in prep.costs]
        self.fcosta = np.array(self.fcost)
        self.mes_projects = prep.mes_projects
        self.zero_cost = prep.zero_cost
        self.sup = [None] * P
        self.supw = [None] * P
        self.supM = [0.0] * P
        self.ballots = [[] for _ in range(G)]
        groups, projs = [], []
        for j in prep.mes_projects:
            s = np.array(prep.sup_groups[j], dtype=np.intp)
            self.sup[j] = s
            self.supw[j] = self.m[s]
            self.supM[j] = float(self.supw[j].sum())
            for g in prep.sup_groups[j]:
                self.ballots[g].append(j)
            groups.append(s)
            projs.append(np.full(len(s), j, dtype=np.intp))
        self.supMa = np.array(self.supM)
        # large supporter sets: checking bounds together pays off at every round
        self.big = bool(groups) and sum(len(self.sup[j]) for j in prep.mes_projects) > 500 * len(prep.mes_projects)
        self.Mmax = max(self.supM, default=0.0)
        if groups:
            groups = np.concatenate(groups)
            projs = np.concatenate(projs)
            order = np.argsort(groups, kind="stable")
            self.ent_proj = projs[order]
            self.ptr = np.searchsorted(groups[order], np.arange(G + 1))
        else:
            self.ent_proj = np.zeros(0, dtype=np.intp)
            self.ptr = np.zeros(G + 1, dtype=np.intp)
        # id order for ties
        self.rank = [0] * P
        for r, j in enumerate(sorted(range(P), key=lambda j: prep.ids[j])):
            self.rank[j] = r

    def _gather(self, groups):
        """Entry indices (into ent_proj) of the ballots of ``groups``, and their lengths."""
        starts = self.ptr[groups]
        lens = self.ptr[groups + 1] - starts
        total = int(lens.sum())
        offs = np.cumsum(lens) - lens
        return np.arange(total) - np.repeat(offs - starts, lens), lens

    def neighbours(self, j):
        """The projects that share a supporter group with j (j included)."""
        nb = self._nbr.get(j)
        if nb is None:
            idx, _ = self._gather(self.sup[j])
            nb = self._nbr[j] = frozenset(np.unique(self.ent_proj[idx]).tolist())
        return nb

    def counts(self, groups):
        """Voters of ``groups`` that approve each project (float64 array over the projects)."""
        idx, lens = self._gather(groups)
        if not len(idx):
            return None
        return np.bincount(self.ent_proj[idx], weights=np.repeat(self.m[groups], lens), minlength=self.P)


class _Eval:
    """A float evaluation of a project in the current round: rho (error err), the poor
    mask over its supporters (the dead included), their budgets x, their multiplicities
    if poor wp, the rich multiplicity MR, the poor money PM, the payment p (error e_p), the
    poor slopes PS (tracking)."""

    __slots__ = ("S", "w", "rho", "err", "poor", "x", "wp", "MR", "PM", "p", "e_p", "PS")


class _Checkpoint:
    __slots__ = ("limit", "origin", "rem", "lv", "ld", "nsel", "nmes", "undo", "dvr", "ds")


class _Pay:
    """The payment of a round: floats with error bounds, exact values when known."""

    __slots__ = ("s", "S", "A", "x", "poor", "gP", "MR", "pvf", "pdf", "epv", "epd", "pvx", "pdx", "hz", "gR", "wpd")


class _Bounds:
    """Upper bounds of the money of unaffordable projects, carried from run to run.

    Project j's supporters held at most ``money[j]`` at round ``round[j]`` of a run at
    per-voter budget ``origin[j]``. A later run that took the same decisions before that
    round gives each voter at least as much money, n x (budget increase) more in total
    (monotonicity): j is unaffordable there too when money + n x increase < cost.
    ``ref`` is the last run's selection order (the sequence the bounds refer to).
    """

    def __init__(self, P):
        self.round = np.full(P, -1, dtype=np.intp)
        self.money = np.zeros(P)
        self.origin = np.zeros(P)  # (float)
        self.stamp = np.zeros(P, dtype=np.intp)
        self.run = 1
        self.ref = []
        self.nrec = 0  # projects with a bound

    def copy(self):
        c = _Bounds.__new__(_Bounds)
        c.round = self.round.copy()
        c.money = self.money.copy()
        c.origin = self.origin.copy()
        c.stamp = self.stamp.copy()
        c.run, c.ref, c.nrec = self.run, self.ref, self.nrec
        return c

    def end_run(self, run):
        # bounds from earlier runs about rounds after the first different decision lapse
        stale = (self.round > run.match) & (self.stamp != self.run)
        self.round[stale] = -1
        self.nrec = int(np.count_nonzero(self.round >= 0))
        self.ref = [q.s for q in run.pays]
        self.run += 1


class Run:
    """MES with per-voter budget ``b`` on cost utilities; :meth:`resume` at a larger ``b``."""

    def __init__(self, fp: Prepared, b, track: bool, bounds=None):
        self.fp = fp
        self.track = track
        self.bounds = bounds if bounds is not None else _Bounds(fp.P)
        self._start(rationals.Q(b))

    # ------------------------------------------------------------------ state

    def _start(self, b):
        fp = self.fp
        self.b = b
        fb = float(b)
        self.fb = np.full(fp.G, fb)
        self.fs = np.ones(fp.G)
        self.alive = np.ones(fp.G, dtype=bool)
        # error bounds of the budgets: dvr (rounds) + dshift (origin shifts, never
        # decreases); of the slopes: ds; dsmax and fsmax: the largest ever (for the shifts)
        self.dvr = 2 * EPS * fb
        self.dshift = 0.0
        self.dv = self.dvr
        self.ds = self.dsmax = 0.0
        self.fsmax = 1.0
        self.rem = np.zeros(fp.P, dtype=bool)
        self.lv = np.zeros(fp.P)
        self.ld = np.zeros(fp.P)
        for j in fp.mes_projects:
            self.rem[j] = True
            self.lv[j] = (1.0 / fp.supM[j]) * (1 - 4 * EPS)  # rho >= cost / (M cost)
        self.selected = list(fp.zero_cost)
        self.pays = []  # one _Pay per MES round
        self.rnd = {}  # selected project -> its round
        self.checkpoints = []
        self.snapshot = None
        self.T = None
        self.tracking = self.track
        self.done = False
        self._undo = None
        self.cache = {}  # project -> its _Eval, while none of its supporters paid
        self.match = 0  # leading rounds equal to those of the previous run (bounds.ref)
        self._lip = None  # (rounds done, smax, death) of _slope_bounds (a jump trial)
        self._gap = None  # _screen's margins of the bounds of unaffordability (this run)
        self.kept = 0  # rounds kept by the last resume
        self.diverged = None  # (round, project, its round's evaluations): a trial selected another

    def fork(self):
        """An independent copy (a jump trial resumes the copy)."""
        c = Run.__new__(Run)
        c.__dict__.update(self.__dict__)
        c.fb, c.fs, c.alive = self.fb.copy(), self.fs.copy(), self.alive.copy()
        c.rem, c.lv, c.ld = self.rem.copy(), self.lv.copy(), self.ld.copy()
        c.selected = list(self.selected)
        c.rnd = dict(self.rnd)
        c.pays = []
        for q in self.pays:
            q2 = _Pay()
            for a in _Pay.__slots__:
                setattr(q2, a, getattr(q, a))
            c.pays.append(q2)
        c.checkpoints = list(self.checkpoints)
        c.bounds = self.bounds.copy()
        c.cache = dict(self.cache)
        c._lip = c._gap = None
        c.diverged = None
        return c

    @property
    def nsel(self):
        return len(self.pays)

    def limit(self, x):
        if x is not None and (self.T is None or x < self.T):
            self.T = x if x > 0 else 0.0

    def resume(self, b) -> None:
        """Go on at the larger per-voter budget ``b`` from the last round still valid there."""
        b = rationals.Q(b)
        keep = 0
        for cp in self.checkpoints:
            if cp.limit is not None and cp.limit <= b:
                break
            keep += 1
        if not keep or self.dshift > 1e-11 * float(b):
            # (a fresh start also resets the error bounds that shifts accumulate)
            self._start(b)
            return
        fb, fs, alive = self.fb, self.fs, self.alive
        cur = self.b
        if self.snapshot is not None:
            fb[:], alive[:] = self.snapshot
            self.snapshot = None
        # undo the rounds after the kept ones (their logs hold values at their own origin)
        for cp in reversed(self.checkpoints[keep:]):
            S, ofb, ofs, oal = cp.undo
            if cp.origin != cur:
                ofb = ofb + ofs * float(cur - cp.origin)
            fb[S] = ofb
            fs[S] = ofs
            alive[S] = oal
        cp = self.checkpoints[keep - 1]
        del self.checkpoints[keep:]
        self.rem = cp.rem.copy()
        # lower bounds of rho recorded at the origin cp.origin, shifted to b (rounded down)
        shift = cp.ld * float(b - cp.origin)
        lv = cp.lv + shift
        lv -= 2 * EPS * (np.abs(lv) + np.abs(shift))
        self.lv = lv
        self.ld = cp.ld.copy()
        for j in self.selected[cp.nsel :]:
            self.rnd.pop(j, None)
        del self.selected[cp.nsel :]
        del self.pays[cp.nmes :]
        delta = b - cur
        fdelta = float(delta)
        for q in self.pays:
            if q.pvx is not None:
                q.pvx += q.pdx * delta
                q.pvf = float(q.pvx)
                q.epv = 2 * EPS * abs(q.pvf)
            else:
                shift = q.pdf * fdelta
                q.pvf += shift
                q.epv += abs(fdelta) * q.epd + 4 * EPS * (abs(q.pvf) + abs(shift))
        fb += fs * fdelta
        self.dshift += fdelta * self.dsmax + 4 * EPS * (float(b) + self.fsmax * fdelta)
        self.dvr = cp.dvr
        self.dv = cp.dvr + self.dshift
        self.ds = cp.ds
        self.b = b
        self.T = None if cp.limit is None else float(cp.limit - b) * (1 - 4 * EPS)
        self.tracking = self.track
        self.done = False
        self.cache = {}
        self._lip = self._gap = None
        self.kept = self.match = cp.nmes

    # ------------------------------------------------------------------ exact values

    def _exact_money(self, groups, upto, slope=False, lazy=True):
        """Exact money (value, slope) of ``groups`` (alive then) before round ``upto``.

        Exact payments of earlier rounds are computed when missing (``lazy``); without
        ``lazy`` the answer is None when one is missing.
        """
        fp = self.fp
        pays, rnd = self.pays, self.rnd
        accv = rationals.QZERO
        accd = rationals.QZERO
        if len(groups) <= SMALL:
            mult, ballots = fp.mult, fp.ballots
            M = 0
            for g in groups.tolist():
                m = mult[g]
                M += m
                for j in ballots[g]:
                    k = rnd.get(j)
                    if k is not None and k < upto:
                        q = pays[k]
                        if q.pvx is None:
                            if not lazy:
                                return None
                            self._ensure(k)
                        accv += m * q.pvx
                        if slope:
                            accd += m * q.pdx
            return M * self.b - accv, M - accd
        M = int(fp.m[groups].sum())
        N = fp.counts(groups)
        if N is not None and upto:
            sel = np.array([q.s for q in pays[:upto]], dtype=np.intp)
            Nk = N[sel]
            nz = np.flatnonzero(Nk).tolist()
            for i in nz:
                if pays[i].pvx is None:
                    if not lazy:
                        return None
                    self._ensure(i)
            for i in nz:
                c = int(Nk[i])
                q = pays[i]
                accv += c * q.pvx
                if slope:
                    accd += c * q.pdx
        return M * self.b - accv, M - accd

    def _ensure(self, k):
        """Exact payment (and slope for tracked rounds) of round k, from the rounds before."""
        pays = self.pays
        for i in range(k + 1):
            q = pays[i]
            if q.pvx is None:
                slope = q.pdf is not None
                money, mslope = self._exact_money(q.gP, i, slope)
                cost = self.fp.cost[q.s]
                q.pvx = (cost - money) / q.MR
                q.pdx = -mslope / q.MR if slope else None
                if abs(float(q.pvx) - q.pvf) > q.epv * 1.5 + 1e-300:  # pragma: no cover
                    raise AssertionError("add1: float payment outside its error bound")

    def _exact_budget(self, g):
        if not self.alive[g]:
            return rationals.QZERO
        v = self.b
        pays, rnd = self.pays, self.rnd
        for j in self.fp.ballots[g]:
            k = rnd.get(j)
            if k is not None:
                if pays[k].pvx is None:
                    self._ensure(k)
                v -= pays[k].pvx
        return v

    def _exact_affordable(self, j, S):
        money, _ = self._exact_money(S[self.alive[S]], self.nsel)
        return money >= self.fp.cost[j]

    def _xeval(self, j, S, w, poor, slope):
        """Exact payment p_j (value, slope) and the exact poor mask over sup[j].

        ``poor`` is a guess (from the floats). The poor/rich split is checked exactly where
        the floats cannot decide, and corrected until it is consistent.
        """
        fp = self.fp
        A = self.alive[S]
        x = self.fb[S]
        cost = fp.cost[j]
        Malive = int(_dot(w, A))
        P = poor & A
        fbv = float(self.b)
        upto = self.nsel
        for _ in range(8):
            gP = S[P]
            MP = int(_dot(w, P))
            MR = Malive - MP
            if MR <= 0:
                break
            money, mslope = self._exact_money(gP, upto, slope)
            pv = (cost - money) / MR
            pd = -mslope / MR if slope else None
            pvf = float(pv)
            marg = self.dv + 4 * EPS * (abs(pvf) + fbv)
            d = x - pvf
            amb = np.flatnonzero(A & (np.abs(d) <= marg))
            newP = A & (d < 0)
            for i in amb.tolist():
                newP[i] = self._exact_budget(int(S[i])) < pv
            if np.array_equal(newP, P):
                return pv, pd, P
            P = newP
        return self._xeval_slow(j, S, slope)

    def _xeval_slow(self, j, S, slope):
        """The poor/rich algorithm on exact budgets (only if the fast split does not settle)."""
        fp = self.fp
        cost = fp.cost[j]
        entries = []
        for i, g in enumerate(S.tolist()):
            if self.alive[g]:
                v = self._exact_budget(g)
                d = None
                if slope:
                    d = rationals.QONE
                    for k in fp.ballots[g]:
                        r = self.rnd.get(k)
                        if r is not None:
                            d -= self.pays[r].pdx
                entries.append((v, d, fp.mult[g], i))
        entries.sort(key=lambda e: e[0])
        R, D, Rd = cost, sum(e[2] for e in entries), rationals.QZERO
        P = np.zeros(len(S), dtype=bool)
        for v, d, m, i in entries:
            if R <= v * D:
                break
            R -= m * v
            if slope:
                Rd -= m * d
            D -= m
            P[i] = True
        return R / D, (Rd / D if slope else None), P

    def _payment(self, s, ev, exact=False):
        """The payment of the round that selects s (a _Pay), from its float evaluation ev
        of this round; exact when the floats cannot settle who is poor, when ``exact``,
        or when cheap (few poor groups)."""
        fp = self.fp
        tracking = self.tracking
        q = _Pay()
        q.s = s
        q.hz = None
        q.gR = q.wpd = None
        q.S = S = ev.S
        w = ev.w
        q.A = A = self.alive.take(S)
        q.x = x = ev.x
        if not exact and ev.MR > 0:
            pvf = ev.p
            P = ev.poor & A
            MP = float(_dot(w, P))  # (the dead poor have no error)
            epv = (MP * self.dv + (len(S) + 2) * EPS * (ev.PM + fp.fcost[s])) / ev.MR + 2 * EPS * abs(pvf)
            marg = self.dv + epv + 4 * EPS * (abs(pvf) + float(self.b))
            if float(np.abs(x - pvf).min()) > marg and np.array_equal(x < pvf, ev.poor):
                gP = S[P]
                q.poor, q.gP, q.MR = P, gP, int(ev.MR)
                q.pvx = q.pdx = None
                if len(gP) <= SMALL:
                    ex = self._exact_money(gP, self.nsel, tracking, lazy=False)
                    if ex is not None:
                        money, mslope = ex
                        q.pvx = (fp.cost[s] - money) / q.MR
                        q.pdx = -mslope / q.MR if tracking else None
                if q.pvx is not None:
                    q.pvf = float(q.pvx)
                    q.epv = 2 * EPS * abs(q.pvf)
                    if tracking:
                        q.pdf = float(q.pdx)
                        q.epd = 2 * EPS * abs(q.pdf)
                    else:
                        q.pdf = q.epd = None
                    return q
                q.pvf, q.epv = pvf, epv
                if tracking:
                    q.pdf = -ev.PS / ev.MR
                    q.epd = (MP * self.ds + (len(S) + 2) * EPS * ev.PS) / ev.MR + 2 * EPS * abs(q.pdf)
                else:
                    q.pdf = q.epd = None
                return q
        pv, pd, P = self._xeval(s, S, w, ev.poor, tracking)
        q.poor, q.gP = P, S[P]
        q.MR = int(_dot(w, (A & ~P)))
        q.pvx, q.pdx = pv, pd
        q.pvf = float(pv)
        q.epv = 2 * EPS * abs(q.pvf)
        if tracking:
            q.pdf = float(pd)
            q.epd = 2 * EPS * abs(q.pdf)
        else:
            q.pdf = q.epd = None
        return q

    def _exact_rho(self, q):
        if q.pvx is None:
            self.pays.append(q)  # (not a round yet: _ensure reads the rounds before it)
            try:
                self._ensure(len(self.pays) - 1)
            finally:
                self.pays.pop()
        return q.pvx / self.fp.cost[q.s]

    # ------------------------------------------------------------------ floats

    def _feval(self, j, bound=INF):
        """Float evaluation of j in this round; updates its lower bound of rho.

        Returns None when j is not affordable (j is then removed), SKIPPED when its rho is
        proved above ``bound`` before the end (only the lower bound is updated), else an
        _Eval.
        """
        ev = self.cache.get(j)
        if ev is not None:
            return ev
        fp = self.fp
        bd = self.bounds
        k = bd.round[j]
        if 0 <= k <= self.match and k <= self.nsel:
            # an earlier run (same selections before round k) found j's money below cost:
            # its money here is at most that plus n times the budget increase (monotonicity)
            fb = float(self.b)
            ub = (bd.money[j] + fp.n * (fb - bd.origin[j])) * (1 + 8 * EPS) + fp.n * 4 * EPS * fb
            cost = fp.fcost[j]
            if ub < cost:
                x = (cost - ub) / fp.n * (1 - 4 * EPS)  # (total money grows at rate n)
                if not self.tracking or self.T is not None and x >= self.T:
                    self.rem[j] = False
                    return None
        S, w, Mj = self._sup(j)
        n = len(S)
        x = self.fb.take(S)
        cost = fp.fcost[j]
        wx = w * x
        avail = float(wx.sum())
        e_av = Mj * self.dv + (n + 2) * EPS * (avail + cost)
        if avail + e_av < cost or (avail - e_av < cost and not self._exact_affordable(j, S)):
            self.rem[j] = False
            if bd.round[j] < 0:
                bd.nrec += 1
            bd.round[j] = self.nsel
            bd.money[j] = avail + e_av
            bd.origin[j] = float(self.b)
            bd.stamp[j] = bd.run
            if self.tracking:
                sa = float(_dot(self.fs.take(S), w))
                e_sa = Mj * self.ds + (n + 2) * EPS * sa
                if sa + e_sa > 0:
                    self.limit(max(0.0, cost - avail - e_av) / (sa + e_sa) * (1 - 4 * EPS))
            return None
        # poor/rich iteration (Newton's method on the concave money function) from a lower
        # bound of p: the poor set only grows; it stops when the poor set stays the same
        p = max(cost / Mj, self.lv[j] * cost)
        pcut = bound * cost * (1 + 1e-9) if bound < INF else INF
        MPprev = -1.0
        MR = PM = 0.0
        for _ in range(12):
            pf = (x < p).astype(np.float64)  # (float dot products are the fastest)
            MP = float(_dot(w, pf))
            if MP == MPprev:
                break
            MR = Mj - MP
            if MR <= 0:
                break
            PM = float(_dot(wx, pf))
            p = (cost - PM) / MR
            MPprev = MP
            if p > pcut:
                # every split gives a lower bound of p: this one already puts j out of
                # reach (rho above ``bound``); record the bound, skip the rest
                e_p = (Mj * self.dv + (n + 2) * EPS * (PM + cost)) / MR + 2 * EPS * abs(p)
                rho = p / cost
                low = rho - (e_p / cost + 4 * EPS * abs(rho))
                if low > bound:
                    self.lv[j] = low
                    if self.tracking:
                        PS = float(_dot(self.fs.take(S), w * pf))
                        rd = -PS / MR / cost
                        e_ps = (Mj * self.ds + (n + 2) * EPS * PS) / MR
                        self.ld[j] = rd - (e_ps / cost + 4 * EPS * abs(rd))
                    return SKIPPED
        else:
            MR = 0.0
        poor = pf > 0
        if MR <= 0:
            poor, wp, MR = self._split_sorted(x, w, cost, Mj)
            PM = float(_dot(x, wp))
            if MR > 0:
                p = (cost - PM) / MR
        else:
            wp = w * poor
        ev = _Eval()
        ev.S, ev.w, ev.x, ev.poor = S, w, x, poor
        if MR <= 0:  # (almost) everyone pays all: exact
            pv, pd, P = self._xeval(j, S, w, poor, self.tracking)
            rho = float(pv / fp.cost[j])
            self.lv[j] = rho * (1 - 8 * EPS)
            if self.tracking:
                rd = float(pd / fp.cost[j])
                self.ld[j] = rd - 8 * EPS * abs(rd)
            ev.rho, ev.err, ev.poor, ev.MR = rho, 8 * EPS * rho, P | ~self.alive[S], 0
            return ev
        p = (cost - PM) / MR
        e_p = (Mj * self.dv + (n + 2) * EPS * (PM + cost)) / MR + 2 * EPS * abs(p)
        rho = p / cost
        e_rho = e_p / cost + 4 * EPS * abs(rho)
        self.lv[j] = rho - e_rho
        if self.tracking:
            PS = float(_dot(self.fs.take(S), wp))
            e_ps = (Mj * self.ds + (n + 2) * EPS * PS) / MR
            rd = -PS / MR / cost
            self.ld[j] = rd - (e_ps / cost + 4 * EPS * abs(rd))
            ev.PS = PS
        ev.rho, ev.err, ev.wp, ev.MR, ev.PM, ev.p, ev.e_p = rho, e_rho, wp, MR, PM, p, e_p
        self.cache[j] = ev
        return ev

    def _in_doubt(self, j, fresh, thr) -> bool:
        """Whether project j may still have rho <= thr this round: evaluated once per
        round (kept in `fresh`); False once it proves unaffordable or its new lower
        bound of rho clears thr."""
        if j not in fresh:
            ev = self._feval(j)
            if ev is None:
                return False
            fresh[j] = ev
            if self.lv[j] > thr:
                return False
        return True

    def _screen(self):
        """The remaining projects, less those that the bounds prove unaffordable (checked
        together from the round where the last run ended on: elsewhere one by one in
        _feval, for the few candidates the round looks at)."""
        cand = np.flatnonzero(self.rem)
        bd = self.bounds
        if self.nsel + 1 < len(bd.ref) and not self.fp.big or not bd.nrec or self.tracking and self.T is None:
            return cand
        gap = self._gap
        if gap is None:
            # (per run: the bounds of the projects still remaining do not change in a run)
            fp = self.fp
            fb = float(self.b)
            ub = (bd.money + fp.n * (fb - bd.origin)) * (1 + 8 * EPS) + fp.n * 4 * EPS * fb
            cost = fp.fcosta
            with np.errstate(invalid="ignore"):
                gap = np.where(ub < cost, (cost - ub) / fp.n * (1 - 4 * EPS), -INF)
            self._gap = gap
        k = bd.round[cand]
        # unaffordable: ub < cost (gap >= 0); tracking: only where the limit it would set
        # cannot matter (gap >= T)
        out = (k >= 0) & (k <= min(self.match, self.nsel)) & (gap[cand] >= (self.T if self.tracking else 0.0))
        if not out.any():
            return cand
        self.rem[cand[out]] = False
        return np.flatnonzero(self.rem)

    def _sup(self, j):
        """j's supporter groups (index array), their multiplicities and its sum."""
        fp = self.fp
        return fp.sup[j], fp.supw[j], fp.supM[j]

    @staticmethod
    def _split_sorted(x, w, cost, Mj):
        order = np.argsort(x, kind="stable")
        xs = x[order]
        ws = w[order]
        cm = np.concatenate(([0.0], np.cumsum(xs * ws)[:-1]))
        cw = np.concatenate(([0.0], np.cumsum(ws)[:-1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            pk = (cost - cm) / (Mj - cw)
        ok = np.flatnonzero(pk <= xs)
        k = int(ok[0]) if len(ok) else len(xs) - 1
        poor = np.zeros(len(x), dtype=bool)
        poor[order[:k]] = True
        wp = w * poor
        return poor, wp, Mj - float(wp.sum())

    # ------------------------------------------------------------------ rounds

    def run(self, targets=None):
        """Rounds until no project can be paid for. Returns (selected indices, T).

        ``targets`` (a jump trial): the (project, float threshold) of each round of the run at
        the smaller budget; the run stops and returns None as soon as it selects another
        project or some other project still affordable may have rho <= the threshold.
        """
        fp = self.fp
        rank = fp.rank
        while not self.done:
            cand = self._screen()
            order = cand[np.argsort(self.lv[cand], kind="stable")].tolist()
            fresh = {}
            best = None
            bound = INF
            lv = self.lv
            for j in order:
                if lv[j] > bound:
                    break
                ev = self._feval(j, bound)
                if ev is None or ev is SKIPPED:
                    continue
                fresh[j] = ev
                if best is None or ev.rho < fresh[best].rho or (ev.rho == fresh[best].rho and rank[j] < rank[best]):
                    best = j
                if ev.rho + ev.err < bound:
                    bound = ev.rho + ev.err
            if best is None:
                if targets is not None and self.nsel != len(targets):
                    return None
                self._finish_round(None)
                break
            if targets is not None and (self.nsel >= len(targets) or targets[self.nsel][0] != best):
                if self.nsel < len(targets):
                    self.diverged = (self.nsel, best, fresh)
                return None
            s = best
            q = self._payment(s, fresh[s])
            # Every other project must have a larger (rho, id): check what the floats cannot.
            exact_rho = {}
            while True:
                thr = (q.pvf + q.epv) / fp.fcost[s] * (1 + 8 * EPS)
                self.rem[s] = False
                doubt = np.flatnonzero(self.rem & (self.lv <= thr)).tolist()
                self.rem[s] = True
                switched = False
                for j in doubt:
                    if not self._in_doubt(j, fresh, thr):
                        continue
                    rs = self._exact_rho(q)
                    if j not in exact_rho:
                        ev = fresh[j]
                        xj = self._xeval(j, ev.S, ev.w, ev.poor, False)
                        exact_rho[j] = xj[0] / fp.cost[j]
                    rj = exact_rho[j]
                    if rj < rs or (rj == rs and rank[j] < rank[s]):
                        if targets is not None:
                            return None
                        s = j
                        q = self._payment(s, fresh[s], exact=True)
                        switched = True
                        break
                if not switched:
                    break
            self.rem[s] = False
            if targets is not None:
                # every other project affordable here must have rho > the threshold, or
                # stay above rho_s in between by the slope bounds (_lipschitz)
                thr = targets[self.nsel][1]
                for j in np.flatnonzero(self.rem & (self.lv <= thr)).tolist():
                    if not self._in_doubt(j, fresh, thr):
                        continue
                    if self._lipschitz(q, j, targets):
                        continue
                    return None
            if self.tracking:
                self._track(q, fresh)
            bd = self.bounds
            if self.match == self.nsel and self.nsel < len(bd.ref) and bd.ref[self.nsel] == s:
                self.match += 1
            self._pay(q)
            self._finish_round(s)
        self.bounds.end_run(self)
        return list(self.selected), self.T

    def horizon(self):
        """The shortest of the rounds' guesses of how far a jump may pass (INF if none)."""
        fb = float(self.b)
        return min((q.hz - fb for q in self.pays if q.hz is not None), default=INF)

    def thresholds(self):
        """(project, float above its rho) for each round of this run (for a jump trial)."""
        fcost = self.fp.fcost
        b = self.b
        shared = []  # (rounds, smax, death) of _slope_bounds for the trials that keep them
        return [(q.s, (q.pvf + q.epv) / fcost[q.s] * (1 + 8 * EPS), q, b, shared) for q in self.pays]

    def crossing_guess(self, targets):
        """After a jump trial from b1 that selected another project j than s in round r: the
        distance from b1 where rho_j - rho_s, interpolated linearly between b1 and b,
        crosses 0 (a guess for the next trial), or None."""
        if self.diverged is None:
            return None
        r, j, fresh = self.diverged
        s, rs1, _, b1, _ = targets[r]
        e = self._at_b1(j, r, targets, b1)
        if e is None:
            return None
        g1 = e[0] - rs1
        g2 = fresh[j].rho - (fresh[s].rho if s in fresh else float(self.lv[s]))
        if not (g1 > 0 and g2 < g1):
            return None
        return float(self.b - b1) * g1 / (g1 - g2)

    def _slope_bounds(self, r, targets):
        """(smax, death) after the first r rounds of this jump trial, for _lipschitz: smax[g]
        bounds the slope of group g's budget on [b1, b] (at every round up to r), death[g]
        is the round in which g is poor at b (so dead after it on all of [b1, b]), r if
        none; None if some bound is infinite."""
        fp = self.fp
        lip = self._lip
        shared = targets[r][4]
        if lip is None:
            if shared and shared[0] <= self.kept:  # (the first rounds of the run at b1)
                lip = [shared[0], shared[1].copy(), shared[2].copy()]
            else:
                lip = [0, np.ones(fp.G), np.full(fp.G, 1 << 30, dtype=np.intp)]
            self._lip = lip
        k, smax, dead = lip
        if smax is None:
            return None
        infl = self._inflate()
        m = min(r, self.kept)
        while k < r:
            qb = targets[k][2]
            S = qb.S
            if qb.MR <= 0:
                lip[1] = None
                return None
            D = float(_dot(self._wpd(qb) * (dead[S] >= k), smax[S])) / qb.MR * infl
            smax[S] += D
            dead[self.pays[k].gP] = k
            k += 1
            lip[0] = k
            if k == m and (not shared or shared[0] < m):
                shared[:] = [m, smax.copy(), dead.copy()]
        return smax, dead

    def _wpd(self, q):
        """The multiplicities of the supporters poor (or dead) in the round of payment q."""
        if q.wpd is None:
            q.wpd = self.fp.supw[q.s] * (q.poor | ~q.A)
        return q.wpd

    def _inflate(self):
        """A factor above 1 + the relative error of the float sums of _slope_bounds and
        _lipschitz (dot products of at most G terms, all >= 0; smax: sums of at most P
        terms >= 0; a few products and quotients, each rounded once)."""
        return 1 + 8 * EPS * (self.fp.G + self.fp.P + 16)

    def _lipschitz(self, q, j, targets):
        """In a jump trial from b1 to b (round r, this run selects s = targets[r][0] with the
        payment q): does rival j's rho stay above rho_s on all of [b1, b]?

        The floats give rho_s(b1) <= s0, rho_s(b) <= s2, rho_j(b) >= j2 and, from the
        payments of the run at b1 (targets), rho_j(b1) >= j0 (_at_b1). With the same
        decisions before round r (induction over the rounds), poor sets only shrink and
        rich multiplicities only grow with the budget (see the module docstring), so on
        [b1, b] a payment p = (cost - sum of poor budgets) / MR has a slope of absolute
        value at most (sum over the supporters poor at b1 and not dead at b of m x the
        slope bound of their budget) / MR(b1); a budget's slope is at most 1 + the sum of
        these bounds for the selected projects it approves (_slope_bounds). Hence, with
        Ds, Dj these bounds divided by the costs, for b' in [b1, b]:
        rho_j(b') >= max(j2, j0 - Dj (b' - b1)) and rho_s(b') <= min(s0, s2 + Ds (b - b')).
        Their difference is convex and piecewise linear in b': it is checked, exactly (on
        the floats' values as rationals), at b1, b and its kinks. Strict: never a tie.
        """
        r = self.nsel
        s, s0, qb, b1, _ = targets[r]
        sb = self._slope_bounds(r, targets)
        if sb is None:
            return False
        smax, dead = sb
        ej = self._at_b1(j, r, targets, b1)
        if ej is None:
            return False
        j0, Pj, MRj = ej
        if qb.MR <= 0:
            return False
        fp = self.fp
        infl = self._inflate()
        S = qb.S
        Ds = float(_dot(self._wpd(qb) * (dead[S] >= r), smax[S])) / qb.MR / fp.fcost[s] * infl
        S = fp.sup[j]
        Dj = float(_dot(fp.supw[j] * (Pj & (dead[S] >= r)), smax[S])) / MRj / fp.fcost[j] * infl
        if not (math.isfinite(Ds) and math.isfinite(Dj)):
            return False
        Q = rationals.Q
        s2 = (q.pvf + q.epv) / fp.fcost[s] * (1 + 8 * EPS)
        S0, S2, DS = Q(s0), Q(s2), Q(Ds)
        J0, J2, DJ = Q(j0), Q(float(self.lv[j])), Q(Dj)
        L = self.b - b1
        pts = [rationals.QZERO, L]
        if DJ > 0:
            t = (J0 - J2) / DJ
            if 0 < t < L:
                pts.append(t)
        if DS > 0:
            t = L - (S0 - S2) / DS
            if 0 < t < L:
                pts.append(t)
        for t in pts:
            if not max(J2, J0 - DJ * t) > min(S0, S2 + DS * (L - t)):
                return False
        return True

    def _at_b1(self, j, r, targets, b1):
        """Project j in round r of the run at b1 (whose payments are in targets), on floats:
        (a lower bound of rho_j, a superset of its poor supporters (mask over sup[j], dead
        included), a lower bound of its rich multiplicity), or None (not surely affordable,
        or no rich supporter)."""
        fp = self.fp
        fb1 = float(b1)
        xs = np.full(fp.G, fb1)
        dv = 2 * EPS * fb1  # (the same bound as the run's own budgets, see _pay)
        for k in range(r):
            qk = targets[k][2]
            xs[qk.gR] -= qk.pvf
            xs[qk.gP] = 0.0
            dv += qk.epv + 4 * EPS * (fb1 + abs(qk.pvf))
        S, w, Mj = self._sup(j)
        n = len(S)
        x = xs[S]
        cost = fp.fcost[j]
        wx = w * x
        avail = float(wx.sum())
        if avail - (Mj * dv + (n + 2) * EPS * (avail + cost)) < cost:
            return None
        p = cost / Mj
        MPprev = -1.0
        for _ in range(64):
            pf = (x < p).astype(np.float64)
            MP = float(_dot(w, pf))
            if MP == MPprev:
                break
            MR = Mj - MP
            if MR <= 0:
                return None
            PM = float(_dot(wx, pf))
            p = (cost - PM) / MR
            MPprev = MP
        else:
            return None
        e1 = (Mj * dv + (n + 2) * EPS * (PM + cost)) / MR + 2 * EPS * abs(p)
        # supporters that may be poor at the true p (<= p + e1 <= p + 2 e1): their
        # multiplicity bounds the true rich one from below, which gives e_p
        P = x < (p + 2 * e1 + dv) * (1 + 8 * EPS)
        MRlow = Mj - float(_dot(w, P))  # (sums of integers: exact)
        if MRlow <= 0:
            return None
        e_p = (Mj * dv + (n + 2) * EPS * (PM + cost)) / MRlow + 2 * EPS * abs(p)
        if e_p > 2 * e1:
            return None
        rho = p / cost
        return rho - (e_p / cost + 4 * EPS * rho), P, MRlow

    def _track(self, q, fresh):
        fp = self.fp
        s = q.s
        cost = fp.fcost[s]
        pvf, pdf = q.pvf, q.pdf
        # a poor supporter (alive) becomes rich: its budget catches up with p_s
        if len(q.gP):
            # (0 <= x < pvf and 0 <= f <= fsmax for these groups: the error terms are scalars)
            num = (pvf - (self.dv + q.epv + 8 * EPS * abs(pvf))) - self.fb.take(q.gP)
            den = self.fs.take(q.gP) + ((self.ds + q.epd + 4 * EPS * (self.fsmax + abs(pdf))) - pdf)
            self.limit(max(0.0, float((num / den).min())) * (1 - 4 * EPS))
        # another project's rho crosses rho_s
        rsv = pvf / cost
        rsd = pdf / cost
        ers = q.epv / cost + 4 * EPS * abs(rsv)
        erd = q.epd / cost + 4 * EPS * abs(rsd)
        others = np.flatnonzero(self.rem)
        if not len(others):
            q.hz = INF
            return
        lv = self.lv[others]
        ld = self.ld[others]
        # how far the rivals' lower bounds, extrapolated, stay above rho_s, extrapolated too
        # (a guess of the longest jump that this round lets pass: see add1 and _lipschitz)
        thr = (q.pvf + q.epv) / cost * (1 + 8 * EPS)
        rel = ld - min(rsd, 0.0)
        h = np.divide(np.maximum(lv - thr, 0.0), -rel, out=np.full(len(ld), INF), where=rel < 0)
        q.hz = float(self.b) + float(h.min())
        # (the rounding terms use the largest |lv|, |ld|: scalars)
        g0 = lv - (rsv + ers + 4 * EPS * (float(np.abs(lv).max()) + abs(rsv)))
        g1 = ld - (rsd + erd + 4 * EPS * (float(np.abs(ld).max()) + abs(rsd)))
        t = np.divide(np.maximum(g0, 0.0), -g1, out=np.full(len(g1), INF), where=g1 < 0)
        t *= 1 - 4 * EPS
        T = INF if self.T is None else self.T
        close = np.flatnonzero(t < T)
        if not len(close):
            return
        rank = fp.rank
        for i in close[np.argsort(t[close], kind="stable")].tolist():
            j = int(others[i])
            if not self.rem[j]:
                continue
            T = INF if self.T is None else self.T
            x = float(t[i])
            if x >= T:
                continue
            first = None
            if j not in fresh:
                first = x
                ev = self._feval(j)
                if ev is None:
                    continue
                fresh[j] = ev
                x = self._crossing(self.lv[j], self.ld[j], rsv, rsd, ers, erd)
                if x is not None and x < first:
                    x = first
                if x is None or x >= T:
                    continue
            if self.lv[j] > (rsv + ers) * (1 + 8 * EPS):
                self.limit(x)
                continue
            # the floats cannot tell rho_j from rho_s at t = 0: exact
            if q.pvx is None or q.pdx is None:
                self._exact_rho(q)
            rs = q.pvx / fp.cost[s]
            rd = q.pdx / fp.cost[s]
            ev = fresh[j]
            xv, xd, _ = self._xeval(j, ev.S, ev.w, ev.poor, True)
            cj = fp.cost[j]
            g0e = xv / cj - rs
            g1e = xd / cj - rd
            if g0e == 0 and rank[j] > rank[s]:
                xe = 0.0 if g1e < 0 else None
            elif g1e >= 0:
                xe = None
            else:
                xe = float(g0e / -g1e) * (1 - 4 * EPS)
            if xe is None:
                continue
            if first is not None and first > xe:
                xe = first
            self.limit(xe)

    @staticmethod
    def _crossing(lv, ld, rsv, rsd, ers, erd):
        g0 = lv - rsv - ers - 4 * EPS * (abs(lv) + abs(rsv))
        g1 = ld - rsd - erd - 4 * EPS * (abs(ld) + abs(rsd))
        if g1 >= 0:
            return None
        return max(g0, 0.0) / -g1 * (1 - 4 * EPS)

    def _pay(self, q):
        fp = self.fp
        s = q.s
        S = q.S
        A = q.A
        rich = A & ~q.poor
        q.gR = gR = S[rich]
        gP = q.gP
        pvf = q.pvf
        if self.tracking:
            fs = self.fs
            f = fs.take(S)
            self._undo = (S, q.x, f, A)
            pdf = q.pdf
            np.subtract.at(fs, gR, pdf)
            fs[gP] = 0.0
            if len(gR):  # (an upper bound of the new slopes: pdf <= 0)
                self.fsmax = max(self.fsmax, float(f.max()) - pdf)
            self.ds += q.epd + 4 * EPS * (self.fsmax + abs(pdf))
            if self.ds > self.dsmax:
                self.dsmax = self.ds
        np.subtract.at(self.fb, gR, pvf)
        self.fb[gP] = 0.0
        self.alive[gP] = False
        cache = self.cache
        if cache:
            nb = fp.neighbours(s)
            if len(nb) > len(cache):
                for j in list(cache):
                    if j in nb:
                        del cache[j]
            else:
                for j in nb:
                    cache.pop(j, None)
        self.dvr += q.epv + 4 * EPS * (float(self.b) + abs(pvf))
        self.dv = self.dvr + self.dshift
        self.rnd[s] = len(self.pays)
        self.pays.append(q)
        self.selected.append(s)

    def _finish_round(self, s):
        if s is None:
            self.done = True
        if not self.tracking:
            return
        empty = np.zeros(0, dtype=np.intp)
        undo = self._undo if s is not None else (empty, np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool))
        self._undo = None
        T = self.T
        cp = _Checkpoint()
        cp.limit = None if T is None else self.b + rationals.Q(T)
        cp.origin = self.b
        cp.rem = self.rem.copy()
        cp.lv = self.lv.copy()
        cp.ld = self.ld.copy()
        cp.nsel = len(self.selected)
        cp.nmes = len(self.pays)
        cp.undo = undo
        cp.dvr, cp.ds = self.dvr, self.ds
        self.checkpoints.append(cp)
        if T is not None and T < 1 and not self.done:
            # the next run restarts at this round at the latest: no more limits needed
            self.tracking = False
            self.snapshot = (self.fb.copy(), self.alive.copy())


def add1(prep, budget, max_runs=None, jumps=True):
    """The MES part of add1 (selected project indices), as rules._add1, with jumps.

    After a run at b whose limit T allows a step of s units, a run at b + L (L > s) is
    tried: if it certifies (see the module docstring) that every budget in between gives
    the same outcome, the loop goes on from b + L. L is the run's own guess (how far the
    rivals' lower bounds stay above the selected projects' rho, both extrapolated), at
    least 8 and at most twice the last jump that passed; a trial that fails is dropped and
    one half as long is tried (shorter if the project that the trial selected instead
    seems to cross the other one earlier: Run.crossing_guess), down to 8 units, after
    which the loop takes a few normal steps (1, 2, 4, then 8 while the trials keep
    failing) before the next trial.
    """
    fp = Prepared(prep)
    qbudget = rationals.Q(budget)
    qcosts = prep.qcosts
    mes_set = prep.mes_projects
    b = rationals.Q(budget) / prep.n
    previous = list(prep.zero_cost)
    state = Run(fp, b, True)
    sel, T = state.run()
    runs = 1
    last, wait, fails = 16, 0, 0
    while True:
        spent = sum((qcosts[j] for j in sel), rationals.QZERO)
        if spent > qbudget:
            return previous
        chosen = set(sel)
        left = qbudget - spent
        if all(j in chosen or qcosts[j] > left for j in mes_set):
            return sel
        if T is None:  # the outcome would never change: pabutools would loop forever
            return sel
        if max_runs is not None and runs >= max_runs:
            raise TallyError("add1 completion did not converge")
        previous = sel
        step = max(1, int(math.ceil(T)))
        jumped = False
        if wait:
            wait -= 1
        elif jumps:
            jump = max(8, int(min(state.horizon(), 2 * last, 1 << 20)))
            targets = state.thresholds()
            while jump > step:
                trial = state.fork()
                trial.resume(b + jump)
                out = trial.run(targets)
                runs += 1
                if out is not None:
                    state, b = trial, b + jump
                    sel, T = out
                    last, fails, jumped = jump, 0, True
                    break
                est = trial.crossing_guess(targets)
                jump = jump // 2 if est is None else min(jump // 2, int(0.9 * est))
                if jump < 8:
                    fails += 1
                    wait = min(1 << fails, 8)
                    last = max(8, last // 2)
                    break
        if not jumped:
            b += step
            state.resume(b)
            sel, T = state.run()
            runs += 1
