"""MES with add1 completion for cost utilities (approval and ranking ballots), with numpy.

The same algorithm as :class:`agora.tally.rules._Run` (rounds, the limit T, checkpoints,
resume at a larger per-voter budget), specialised to cost utilities, where it can work on
arrays:

* every supporter of project j has the utility cost_j, so in the round that selects j
  every *rich* supporter pays the same amount p_j = rho_j x cost_j and every *poor* one
  pays all it has. A group of identical ballots is therefore either *dead* (budget 0 for
  ever) or alive with the exact budget ``b - sum of p_k`` over the selected projects k it
  approves. The exact numbers of a run are the p_k (gmpy2 rationals); the budgets of the
  groups are float64 arrays next to them, with a bound on their error that is kept up
  to date (``dv`` for the values, ``ds`` for the slopes);
* every decision (is a project affordable, which project has the smallest rho, ties by
  id, who is poor in the selected project) is made on floats only when the floats are
  further apart than their error bound; otherwise it is made exactly (the exact budget
  of a group is b minus the p_k it paid; the exact money of a set of groups is
  ``M b - sum N_k p_k`` with N_k the number of its voters that approve the k-th selected
  project, counted with numpy);
* the limit T (how far the per-voter budget may grow before a comparison changes) only
  needs to be a lower bound: a smaller T means one more run, never another result. It is
  computed on floats, rounded towards 0 with the error bounds.
  Once T < 1, the next run (at b + 1 at least) will restart at this round anyway: the
  rest of the run is counted without computing limits, slopes or checkpoints.

In approval MES every alive budget grows with the per-voter budget (slope >= 1) and every
payment p_k shrinks or stays (slope <= 0), by induction over the rounds; hence rich
supporters stay rich and affordable projects stay affordable when b grows, and only three
kinds of comparisons can change: a poor supporter of the selected project becomes rich,
an unaffordable project becomes affordable, another project's rho crosses the selected
one's.
"""

from __future__ import annotations

import numpy as np

from . import rules

EPS = 2.3e-16  # a bound on the relative error of one float64 operation (> 2**-52)
INF = float("inf")


class Prepared:
    """Arrays that do not depend on the per-voter budget."""

    def __init__(self, prep):
        self.prep = prep
        self.P = P = len(prep.ids)
        self.G = G = len(prep.mult)
        self.m = np.array(prep.mult, dtype=np.float64)
        self.ids = prep.ids
        self.cost = prep.qcosts
        self.fcost = [float(c) for c in prep.costs]
        self.mes_projects = prep.mes_projects
        self.zero_cost = prep.zero_cost
        self.sup = [None] * P
        self.supw = [None] * P
        self.supM = [0.0] * P
        groups, projs = [], []
        for j in prep.mes_projects:
            s = np.array(prep.sup_groups[j], dtype=np.intp)
            self.sup[j] = s
            self.supw[j] = self.m[s]
            self.supM[j] = float(self.supw[j].sum())
            groups.append(s)
            projs.append(np.full(len(s), j, dtype=np.intp))
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

    def counts(self, groups):
        """Voters of ``groups`` that approve each project (float64 array over the projects)."""
        starts = self.ptr[groups]
        lens = self.ptr[groups + 1] - starts
        total = int(lens.sum())
        if not total:
            return None
        offs = np.cumsum(lens) - lens
        idx = np.arange(total) - np.repeat(offs - starts, lens)
        return np.bincount(self.ent_proj[idx], weights=np.repeat(self.m[groups], lens), minlength=self.P)

    def ballot(self, g):
        return self.ent_proj[self.ptr[g] : self.ptr[g + 1]].tolist()


class _Eval:
    """A float evaluation of a project in the current round."""

    __slots__ = ("rho", "err", "poor")

    def __init__(self, rho, err, poor):
        self.rho = rho
        self.err = err
        self.poor = poor


class Run:
    """MES with per-voter budget ``b`` on cost utilities; :meth:`resume` at a larger ``b``."""

    def __init__(self, fp: Prepared, b, track: bool):
        self.fp = fp
        self.track = track
        self._start(rules._Q(b))

    # ------------------------------------------------------------------ state

    def _start(self, b):
        fp = self.fp
        self.b = b
        fb = float(b)
        self.fb = np.full(fp.G, fb)
        self.fs = np.ones(fp.G)
        self.alive = np.ones(fp.G, dtype=bool)
        # error bounds: dvr (rounds) + dshift (origin shifts, never decreases) for the
        # budgets, ds for the slopes (dsmax, fsmax: largest ever, for the shifts)
        self.dvr = 2 * EPS * fb
        self.dshift = 0.0
        self.dv = self.dvr
        self.ds = 0.0
        self.dsmax = 0.0
        self.fsmax = 1.0
        self.rem = np.zeros(fp.P, dtype=bool)
        self.lv = np.full(fp.P, INF)
        self.ld = np.zeros(fp.P)
        for j in fp.mes_projects:
            self.rem[j] = True
            self.lv[j] = (1.0 / fp.supM[j]) * (1 - 4 * EPS)  # rho >= cost / (M cost)
        self.selected = list(fp.zero_cost)
        self.pv = {}  # selected project -> exact payment per rich voter at t = 0
        self.pd = {}  # ... and its slope in t
        self.selarr = np.zeros(fp.P, dtype=np.intp)
        self.nsel = 0  # MES-selected projects in selarr
        self.checkpoints = []
        self.snapshot = None
        self.T = None
        self.tracking = self.track
        self.done = False

    def limit(self, x):
        if x is not None and (self.T is None or x < self.T):
            self.T = x if x > 0 else 0.0

    def resume(self, b) -> None:
        """Go on at the larger per-voter budget ``b`` from the last round still valid there."""
        b = rules._Q(b)
        keep = 0
        for cp in self.checkpoints:
            if cp[0] is not None and cp[0] <= b:
                break
            keep += 1
        if not keep:
            self._start(b)
            return
        fb, fs, alive = self.fb, self.fs, self.alive
        cur = self.b
        if self.snapshot is not None:
            fb[:], alive[:] = self.snapshot
            self.snapshot = None
        # undo the rounds after the kept ones (their logs hold values at their own origin)
        for cp in reversed(self.checkpoints[keep:]):
            S, ofb, ofs, oal = cp[5]
            if cp[8] != cur:
                ofb = ofb + ofs * float(cur - cp[8])
            fb[S] = ofb
            fs[S] = ofs
            alive[S] = oal
        limit_b, rem, lv, ld, nsel, _, dvr, ds, brec, nmes = self.checkpoints[keep - 1]
        del self.checkpoints[keep:]
        self.rem = rem.copy()
        # lower bounds of rho recorded at the origin brec, shifted to b (rounded down)
        shift = ld * float(b - brec)
        lv = lv + shift
        lv -= 2 * EPS * (np.abs(lv) + np.abs(shift))
        self.lv = lv
        self.ld = ld.copy()
        for j in self.selected[nsel:]:
            self.pv.pop(j, None)
            self.pd.pop(j, None)
        del self.selected[nsel:]
        self.nsel = nmes
        delta = b - cur
        fdelta = float(delta)
        pv, pd = self.pv, self.pd
        for j in pv:
            pv[j] += pd[j] * delta
        fb += fs * fdelta
        self.dshift += fdelta * self.dsmax + 4 * EPS * (float(b) + self.fsmax * fdelta)
        self.dvr = dvr
        self.dv = dvr + self.dshift
        self.ds = ds
        self.b = b
        self.T = None if limit_b is None else float(limit_b - b) * (1 - 4 * EPS)
        self.tracking = self.track
        self.done = False

    # ------------------------------------------------------------------ exact values

    def _paid(self, N, slope):
        """sum over the selected projects k of N[k] p_k (value, slope): exact."""
        sel = self.selarr[: self.nsel]
        Nk = N[sel]
        accv = rules.QZERO
        accd = rules.QZERO
        pv, pd = self.pv, self.pd
        for i in np.flatnonzero(Nk).tolist():
            j = int(sel[i])
            c = int(Nk[i])
            accv += c * pv[j]
            if slope:
                accd += c * pd[j]
        return accv, accd

    def _exact_budget(self, g, slope=False):
        if not self.alive[g]:
            return rules.QZERO, rules.QZERO
        v, d = self.b, rules.QONE
        pv, pd = self.pv, self.pd
        for j in self.fp.ballot(g):
            x = pv.get(j)
            if x is not None:
                v -= x
                if slope:
                    d -= pd[j]
        return v, d

    def _exact_money(self, groups, slope=False):
        """Exact money (value, slope) of alive ``groups`` (an index array)."""
        fp = self.fp
        M = int(fp.m[groups].sum())
        N = fp.counts(groups) if len(groups) else None
        accv, accd = self._paid(N, slope) if N is not None else (rules.QZERO, rules.QZERO)
        return M * self.b - accv, M - accd

    def _exact_affordable(self, j):
        fp = self.fp
        S = fp.sup[j]
        money, _ = self._exact_money(S[self.alive[S]])
        return money >= fp.cost[j]

    def _xeval(self, j, poor, slope):
        """Exact payment p_j (value, slope) and the exact poor mask over sup[j].

        ``poor`` is a guess (from the floats). The poor/rich split is checked exactly where
        the floats cannot decide, and corrected until it is consistent.
        """
        fp = self.fp
        S = fp.sup[j]
        w = fp.supw[j]
        A = self.alive[S]
        x = self.fb[S]
        cost = fp.cost[j]
        Malive = int(w[A].sum())
        P = poor & A
        fbv = float(self.b)
        for _ in range(8):
            gP = S[P]
            MP = int(w[P].sum())
            MR = Malive - MP
            if MR <= 0:
                break
            money, mslope = self._exact_money(gP, slope)
            pv = (cost - money) / MR
            pd = -mslope / MR if slope else None
            pvf = float(pv)
            marg = self.dv + 4 * EPS * (abs(pvf) + fbv)
            sure_poor = x < pvf - marg
            sure_rich = x >= pvf + marg
            newP = A & sure_poor
            amb = np.flatnonzero(A & ~sure_poor & ~sure_rich)
            for i in amb.tolist():
                if self._exact_budget(int(S[i]))[0] < pv:
                    newP[i] = True
            if np.array_equal(newP, P):
                return pv, pd, P
            P = newP
        return self._xeval_slow(j, slope)

    def _xeval_slow(self, j, slope):
        """The poor/rich algorithm on exact budgets (only if the fast split does not settle)."""
        fp = self.fp
        S = fp.sup[j]
        cost = fp.cost[j]
        entries = []
        for i, g in enumerate(S.tolist()):
            if self.alive[g]:
                v, d = self._exact_budget(g, slope)
                entries.append((v, d, fp.prep.mult[g], i))
        entries.sort(key=lambda e: e[0])
        R, D, Rd = cost, sum(e[2] for e in entries), rules.QZERO
        P = np.zeros(len(S), dtype=bool)
        for v, d, m, i in entries:
            if R <= v * D:
                break
            R -= m * v
            Rd -= m * d
            D -= m
            P[i] = True
        return R / D, (Rd / D if slope else None), P

    # ------------------------------------------------------------------ floats

    def _feval(self, j):
        """Float evaluation of j in this round; updates its lower bound of rho.

        Returns None when j is not affordable (j is then removed), else an _Eval.
        """
        fp = self.fp
        S = fp.sup[j]
        w = fp.supw[j]
        n = len(S)
        x = self.fb[S]
        cost = fp.fcost[j]
        Mj = fp.supM[j]
        avail = float(x @ w)
        e_av = Mj * self.dv + (n + 2) * EPS * (avail + cost)
        if avail + e_av < cost or (avail - e_av < cost and not self._exact_affordable(j)):
            self.rem[j] = False
            if self.tracking:
                sa = float(self.fs[S] @ w)
                e_sa = Mj * self.ds + (n + 2) * EPS * sa
                if sa + e_sa > 0:
                    self.limit(max(0.0, cost - avail - e_av) / (sa + e_sa) * (1 - 4 * EPS))
            return None
        # poor/rich iteration from a lower bound of p: the poor set only grows
        p = max(cost / Mj, self.lv[j] * cost)
        poor = x < p
        npoor = int(np.count_nonzero(poor))
        for _ in range(10):
            wp = w * poor
            MR = Mj - float(wp.sum())
            if MR <= 0:
                poor, wp, MR = self._split_sorted(x, w, cost, Mj)
                break
            PM = float(x @ wp)
            pn = (cost - PM) / MR
            newpoor = x < pn
            k = int(np.count_nonzero(newpoor))
            if k <= npoor:
                break
            poor, npoor = newpoor, k
        else:
            poor, wp, MR = self._split_sorted(x, w, cost, Mj)
        PM = float(x @ wp)
        p = (cost - PM) / MR
        e_p = (Mj * self.dv + (n + 2) * EPS * (PM + cost)) / MR + 2 * EPS * abs(p)
        rho = p / cost
        e_rho = e_p / cost + 4 * EPS * abs(rho)
        self.lv[j] = rho - e_rho
        if self.tracking:
            PS = float(self.fs[S] @ wp)
            e_ps = (Mj * self.ds + (n + 2) * EPS * PS) / MR
            rd = -PS / MR / cost
            self.ld[j] = rd - (e_ps / cost + 4 * EPS * abs(rd))
        return _Eval(rho, e_rho, poor)

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

    def run(self):
        """Rounds until no project can be paid for. Returns (selected indices, T)."""
        fp = self.fp
        rank = fp.rank
        while not self.done:
            cand = np.flatnonzero(self.rem)
            if not len(cand):
                self._finish_round(None)
                break
            order = cand[np.argsort(self.lv[cand], kind="stable")].tolist()
            fresh = {}
            best = None
            bound = INF
            lv = self.lv
            for j in order:
                if lv[j] > bound:
                    break
                ev = self._feval(j)
                if ev is None:
                    continue
                fresh[j] = ev
                if best is None or ev.rho < fresh[best].rho or (ev.rho == fresh[best].rho and rank[j] < rank[best]):
                    best = j
                if ev.rho + ev.err < bound:
                    bound = ev.rho + ev.err
            if best is None:
                self._finish_round(None)
                break
            s = best
            tracking = self.tracking
            pv, pd, poor = self._xeval(s, fresh[s].poor, tracking)
            cost_s = fp.cost[s]
            rs = pv / cost_s
            # Every other project must have a larger (rho, id): check what the floats cannot.
            exact_rho = {}
            while True:
                thr = float(rs) * (1 + 8 * EPS)
                self.rem[s] = False
                doubt = np.flatnonzero(self.rem & (self.lv <= thr)).tolist()
                self.rem[s] = True
                switched = False
                for j in doubt:
                    if j not in fresh:
                        ev = self._feval(j)
                        if ev is None:
                            continue
                        fresh[j] = ev
                        if self.lv[j] > thr:
                            continue
                    if j not in exact_rho:
                        xj = self._xeval(j, fresh[j].poor, False)
                        exact_rho[j] = xj[0] / fp.cost[j]
                    rj = exact_rho[j]
                    if rj < rs or (rj == rs and rank[j] < rank[s]):
                        s = j
                        pv, pd, poor = self._xeval(s, fresh[s].poor, tracking)
                        cost_s = fp.cost[s]
                        rs = pv / cost_s
                        switched = True
                        break
                if not switched:
                    break
            self.rem[s] = False
            if tracking:
                self._track(s, pv, pd, poor, rs, fresh)
            self._pay(s, pv, pd, poor)
            self._finish_round(s)
        return list(self.selected), self.T

    def _track(self, s, pv, pd, poor, rs, fresh):
        fp = self.fp
        S = fp.sup[s]
        # a poor supporter (alive) becomes rich: its budget catches up with p_s
        if poor.any():
            gP = S[poor]
            x = self.fb[gP]
            f = self.fs[gP]
            pvf, pdf = float(pv), float(pd)
            num = (pvf - x) - (self.dv + 4 * EPS * (abs(pvf) + np.abs(x)))
            den = (f - pdf) + (self.ds + 4 * EPS * (np.abs(f) + abs(pdf)))
            t = np.maximum(num, 0.0) / den
            self.limit(float(t.min()) * (1 - 4 * EPS))
        # another project's rho crosses rho_s
        rd = pd / fp.cost[s]
        rsv, rsd = float(rs), float(rd)
        others = np.flatnonzero(self.rem)
        if not len(others):
            return
        lv = self.lv[others]
        ld = self.ld[others]
        g0 = lv - rsv - 4 * EPS * (np.abs(lv) + abs(rsv))
        g1 = ld - rsd - 4 * EPS * (np.abs(ld) + abs(rsd))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(g1 < 0, np.maximum(g0, 0.0) / -g1, INF) * (1 - 4 * EPS)
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
                x = self._crossing(self.lv[j], self.ld[j], rsv, rsd)
                if x is not None and x < first:
                    x = first
                if x is None or x >= T:
                    continue
            if self.lv[j] > rsv * (1 + 8 * EPS) + 0.0:
                self.limit(x)
                continue
            # the floats cannot tell rho_j from rho_s at t = 0: exact
            xv, xd, _ = self._xeval(j, fresh[j].poor, True)
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
    def _crossing(lv, ld, rsv, rsd):
        g0 = lv - rsv - 4 * EPS * (abs(lv) + abs(rsv))
        g1 = ld - rsd - 4 * EPS * (abs(ld) + abs(rsd))
        if g1 >= 0:
            return None
        return max(g0, 0.0) / -g1 * (1 - 4 * EPS)

    def _pay(self, s, pv, pd, poor):
        fp = self.fp
        S = fp.sup[s]
        A = self.alive[S]
        gR = S[A & ~poor]
        gP = S[poor]
        pvf = float(pv)
        if self.tracking:
            self._undo = (S, self.fb[S], self.fs[S], A)
            pdf = float(pd)
            self.fs[gR] -= pdf
            self.fs[gP] = 0.0
            if len(gR):
                self.fsmax = max(self.fsmax, float(self.fs[gR].max()))
            self.ds += 4 * EPS * (self.fsmax + abs(pdf))
            if self.ds > self.dsmax:
                self.dsmax = self.ds
        self.fb[gR] -= pvf
        self.fb[gP] = 0.0
        self.alive[gP] = False
        self.dvr += 4 * EPS * (float(self.b) + abs(pvf))
        self.dv = self.dvr + self.dshift
        self.pv[s] = pv
        self.pd[s] = pd
        self.selected.append(s)
        self.selarr[self.nsel] = s
        self.nsel += 1

    def _finish_round(self, s):
        if s is None:
            self.done = True
        if not self.tracking:
            return
        undo = self._undo if s is not None else (np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool))
        self._undo = None
        T = self.T
        self.checkpoints.append(
            (
                None if T is None else self.b + rules._Q(T),
                self.rem.copy(),
                self.lv.copy(),
                self.ld.copy(),
                len(self.selected),
                undo,
                self.dvr,
                self.ds,
                self.b,
                self.nsel,
            )
        )
        if T is not None and T < 1 and not self.done:
            # the next run restarts at this round at the latest: no more limits needed
            self.tracking = False
            self.snapshot = (self.fb.copy(), self.alive.copy())
