// Match outcome probabilities from a Dixon–Coles model (Dixon & Coles 1997, "Modelling association football scores
// and inefficiencies in the football betting market"): home goals ~ Poisson(exp(μ + h + attack_home + defence_away)),
// away goals ~ Poisson(exp(μ + attack_away + defence_home)), with the low-score correction τ(ρ) and older matches
// down-weighted (half-life below). Fitted by weighted maximum likelihood (alternating closed-form updates of the
// Poisson part, then ρ by a grid search); each team's parameters are shrunk toward the league average by a few
// pseudo-goals, so a club with few matches is predicted as average rather than from noise.

export const MODEL = {
  version: "dixon-coles-1",
  /** Weight of a match halves every this many days (Dixon–Coles ξ ≈ 0.0039 per day). */
  halfLifeDays: 180,
  /** Pseudo-goals pulling each attack/defence parameter toward the league average. */
  prior: 3,
  iterations: 60,
  maxGoals: 10,
} as const;

export interface FitMatch {
  homeId: number;
  awayId: number;
  homeScore: number;
  awayScore: number;
  kickoff: Date;
}

export interface FittedModel {
  version: string;
  /** Log of the average away-team scoring rate. */
  mu: number;
  /** Log home advantage (multiplier exp(home) on the home team's rate). */
  home: number;
  rho: number;
  attack: Map<number, number>;
  defence: Map<number, number>;
  matches: number;
  asOf: string;
}

export interface Prediction {
  home: number;
  draw: number;
  away: number;
  expectedGoals: { home: number; away: number };
  mostLikelyScores: { home: number; away: number; probability: number }[];
}

/** Fits the model on matches played before `asOf`. */
export function fitModel(all: FitMatch[], asOf: Date): FittedModel {
  const ms = all.filter((m) => m.kickoff < asOf);
  const w = ms.map((m) => 0.5 ** ((asOf.getTime() - m.kickoff.getTime()) / 86_400_000 / MODEL.halfLifeDays));
  const teams = [...new Set(ms.flatMap((m) => [m.homeId, m.awayId]))];
  const att = new Map(teams.map((t) => [t, 0]));
  const def = new Map(teams.map((t) => [t, 0]));
  const W = w.reduce((a, b) => a + b, 0) || 1;
  const avgHome = ms.reduce((s, m, i) => s + w[i]! * m.homeScore, 0) / W || 1.5;
  const avgAway = ms.reduce((s, m, i) => s + w[i]! * m.awayScore, 0) / W || 1.2;
  let mu = Math.log(avgAway);
  let home = Math.log(avgHome / avgAway);
  const p: number = MODEL.prior;
  for (let it = 0; it < MODEL.iterations; it++) {
    const scored = new Map(teams.map((t) => [t, p]));
    const expScored = new Map(teams.map((t) => [t, p]));
    const conceded = new Map(teams.map((t) => [t, p]));
    const expConceded = new Map(teams.map((t) => [t, p]));
    ms.forEach((m, i) => {
      const wi = w[i]!;
      // Expected goals with the scorer's attack (resp. the conceder's defence) left out.
      scored.set(m.homeId, scored.get(m.homeId)! + wi * m.homeScore);
      expScored.set(m.homeId, expScored.get(m.homeId)! + wi * Math.exp(mu + home + def.get(m.awayId)!));
      scored.set(m.awayId, scored.get(m.awayId)! + wi * m.awayScore);
      expScored.set(m.awayId, expScored.get(m.awayId)! + wi * Math.exp(mu + def.get(m.homeId)!));
      conceded.set(m.awayId, conceded.get(m.awayId)! + wi * m.homeScore);
      expConceded.set(m.awayId, expConceded.get(m.awayId)! + wi * Math.exp(mu + home + att.get(m.homeId)!));
      conceded.set(m.homeId, conceded.get(m.homeId)! + wi * m.awayScore);
      expConceded.set(m.homeId, expConceded.get(m.homeId)! + wi * Math.exp(mu + att.get(m.awayId)!));
    });
    for (const t of teams) {
      att.set(t, Math.log(scored.get(t)! / expScored.get(t)!));
      def.set(t, Math.log(conceded.get(t)! / expConceded.get(t)!));
    }
    // Identifiability: attack and defence average zero; μ and h absorb the level.
    const ma = mean([...att.values()]);
    const md = mean([...def.values()]);
    for (const t of teams) { att.set(t, att.get(t)! - ma); def.set(t, def.get(t)! - md); }
    let sa = 0, ea = 0, sh = 0, eh = 0;
    ms.forEach((m, i) => {
      sa += w[i]! * m.awayScore; ea += w[i]! * Math.exp(att.get(m.awayId)! + def.get(m.homeId)!);
      sh += w[i]! * m.homeScore; eh += w[i]! * Math.exp(mu + att.get(m.homeId)! + def.get(m.awayId)!);
    });
    if (ea > 0 && sa > 0) mu = Math.log(sa / ea);
    if (eh > 0 && sh > 0) home = Math.log(sh / eh);
  }
  // ρ: the Poisson part does not depend on it, so maximise the weighted log τ alone.
  let rho = 0;
  let best = -Infinity;
  for (let r = -0.2; r <= 0.2001; r += 0.01) {
    let ll = 0;
    ms.forEach((m, i) => {
      const lh = Math.exp(mu + home + att.get(m.homeId)! + def.get(m.awayId)!);
      const la = Math.exp(mu + att.get(m.awayId)! + def.get(m.homeId)!);
      ll += w[i]! * Math.log(Math.max(1e-9, tau(m.homeScore, m.awayScore, lh, la, r)));
    });
    if (ll > best) { best = ll; rho = Math.round(r * 100) / 100; }
  }
  return { version: MODEL.version, mu, home, rho, attack: att, defence: def, matches: ms.length, asOf: asOf.toISOString() };
}

/** Dixon–Coles low-score dependence factor. */
function tau(x: number, y: number, lh: number, la: number, rho: number): number {
  if (x === 0 && y === 0) return 1 - lh * la * rho;
  if (x === 0 && y === 1) return 1 + lh * rho;
  if (x === 1 && y === 0) return 1 + la * rho;
  if (x === 1 && y === 1) return 1 - rho;
  return 1;
}

/** Expected goals (λ home, λ away) of a pairing; unknown teams count as average. */
export function expectedGoals(model: FittedModel, homeId: number, awayId: number): { home: number; away: number } {
  return {
    home: Math.exp(model.mu + model.home + (model.attack.get(homeId) ?? 0) + (model.defence.get(awayId) ?? 0)),
    away: Math.exp(model.mu + (model.attack.get(awayId) ?? 0) + (model.defence.get(homeId) ?? 0)),
  };
}

export function predict(model: FittedModel, homeId: number, awayId: number): Prediction {
  const xg = expectedGoals(model, homeId, awayId);
  const n = MODEL.maxGoals;
  const ph = poissonRow(xg.home, n);
  const pa = poissonRow(xg.away, n);
  const cells: { home: number; away: number; probability: number }[] = [];
  let total = 0;
  for (let x = 0; x <= n; x++) for (let y = 0; y <= n; y++) {
    const pr = Math.max(0, tau(x, y, xg.home, xg.away, model.rho)) * ph[x]! * pa[y]!;
    cells.push({ home: x, away: y, probability: pr });
    total += pr;
  }
  // Normalised over the 0..10 grid (the mass beyond it is < 1e-6 for realistic rates).
  let h = 0, d = 0, a = 0;
  for (const c of cells) {
    c.probability /= total;
    if (c.home > c.away) h += c.probability; else if (c.home === c.away) d += c.probability; else a += c.probability;
  }
  const top = [...cells].sort((p, q) => q.probability - p.probability).slice(0, 5).map((c) => ({ ...c, probability: round4(c.probability) }));
  return { home: h, draw: d, away: a, expectedGoals: { home: round2(xg.home), away: round2(xg.away) }, mostLikelyScores: top };
}

function poissonRow(lambda: number, n: number): number[] {
  const out = [Math.exp(-lambda)];
  for (let k = 1; k <= n; k++) out.push((out[k - 1]! * lambda) / k);
  return out;
}

export interface Evaluation {
  matches: number;
  model: { logLoss: number; brier: number };
  baseline: { logLoss: number; brier: number; rates: { home: number; draw: number; away: number } };
}

/**
 * Walk-forward evaluation on held-out matches: every match from `from` on is predicted by a model fitted only on
 * matches of earlier weeks; the baseline predicts every match with the home/draw/away frequencies of those same
 * earlier matches. Lower log loss and Brier score are better.
 */
export function evaluate(all: FitMatch[], from: Date): Evaluation {
  const test = all.filter((m) => m.kickoff >= from).sort((a, b) => a.kickoff.getTime() - b.kickoff.getTime());
  let ll = 0, br = 0, bll = 0, bbr = 0;
  let model: FittedModel | null = null;
  let week = -1;
  let rates = { home: 1 / 3, draw: 1 / 3, away: 1 / 3 };
  for (const m of test) {
    const wk = Math.floor(m.kickoff.getTime() / (7 * 86_400_000));
    if (wk !== week) {
      const cutoff = new Date(wk * 7 * 86_400_000);
      model = fitModel(all, cutoff);
      const past = all.filter((x) => x.kickoff < cutoff);
      const count = (f: (x: FitMatch) => boolean) => past.filter(f).length / Math.max(1, past.length);
      rates = { home: count((x) => x.homeScore > x.awayScore), draw: count((x) => x.homeScore === x.awayScore), away: count((x) => x.homeScore < x.awayScore) };
      week = wk;
    }
    const p = predict(model!, m.homeId, m.awayId);
    const outcome = m.homeScore > m.awayScore ? "home" : m.homeScore === m.awayScore ? "draw" : "away";
    ll += -Math.log(Math.max(1e-12, p[outcome]));
    br += brier(p, outcome);
    bll += -Math.log(Math.max(1e-12, rates[outcome]));
    bbr += brier(rates, outcome);
  }
  const n = Math.max(1, test.length);
  return {
    matches: test.length,
    model: { logLoss: round4(ll / n), brier: round4(br / n) },
    baseline: { logLoss: round4(bll / n), brier: round4(bbr / n), rates: { home: round4(rates.home), draw: round4(rates.draw), away: round4(rates.away) } },
  };
}

const brier = (p: { home: number; draw: number; away: number }, o: "home" | "draw" | "away") =>
  (p.home - (o === "home" ? 1 : 0)) ** 2 + (p.draw - (o === "draw" ? 1 : 0)) ** 2 + (p.away - (o === "away" ? 1 : 0)) ** 2;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10000) / 10000;
