// Identity resolution across providers: which canonical row a provider's team, player or match is.
// Order of evidence (documented in README "Identity and precedence"):
//   1. the provider's own id, already linked in external_refs;
//   2. teams: the same name within the competition — exact normalized name, then the same "core" name once
//      generic club words (FC, SV, 1899, …) are dropped (unique candidates only); players: the same name within
//      the team, also "H. Kane" ~ "Harry Kane" (same surname and initial, unique);
//   3. matches: the same competition season, home and away team (a league pairing happens once per season;
//      in cups the kickoffs must also be within 3 days);
//   4. otherwise a new canonical row.
// Precedence: when providers disagree, the higher-ranked provider's values win (PRECEDENCE); a lower-ranked one
// only links its id and, for facts that matter (scores, status), records the disagreement.
import { nameKey } from "../domain/names";

// Words that say what kind of club it is, not which: dropped to compare "core" names.
// Words that tell clubs apart (Real, City, United, Sporting, Borussia…) are NOT generic.
const GENERIC = new Set([
  "fc", "cf", "afc", "sc", "ac", "as", "ss", "sv", "vfl", "vfb", "tsg", "tsv", "fsv", "bv", "bsc", "sk", "fk", "cd",
  "ud", "sd", "rcd", "rc", "ca", "club", "de", "calcio", "football", "futbol", "the", "and", "cp", "sl", "e", "v",
]);

/** The distinctive tokens of a club name: "1. FC Köln" → "koln", "TSG 1899 Hoffenheim" → "hoffenheim". */
export function coreTokens(name: string): string[] {
  const tokens = nameKey(name).split(" ").filter(Boolean);
  const core = tokens.filter((t) => !GENERIC.has(t) && !/^\d+$/.test(t));
  return core.length ? core : tokens;
}

export interface NamedCandidate {
  id: number;
  name: string;
  shortName: string | null;
}

/** The one candidate team with the same name (exact key, else same core tokens, else one core ⊂ other); or null. */
export function matchTeamByName(name: string, shortName: string | null, candidates: NamedCandidate[]): number | null {
  const keys = new Set([nameKey(name), ...(shortName ? [nameKey(shortName)] : [])]);
  const exact = candidates.filter((c) => keys.has(nameKey(c.name)) || (c.shortName != null && keys.has(nameKey(c.shortName))));
  if (exact.length === 1) return exact[0]!.id;
  if (exact.length > 1) return null;
  const mine = coreTokens(name).join(" ");
  const same = candidates.filter((c) => coreTokens(c.name).join(" ") === mine);
  if (same.length === 1) return same[0]!.id;
  if (same.length > 1) return null;
  // "Borussia Dortmund" ~ "Dortmund": one core is contained in the other, and the shorter one is not a mere
  // fragment (at least 5 letters in all).
  const mineSet = new Set(coreTokens(name));
  const subset = candidates.filter((c) => {
    const theirs = coreTokens(c.name);
    const theirSet = new Set(theirs);
    const shorter = theirs.length <= mineSet.size ? theirs : [...mineSet];
    if (shorter.join("").length < 5) return false;
    return theirs.every((t) => mineSet.has(t)) || [...mineSet].every((t) => theirSet.has(t));
  });
  return subset.length === 1 ? subset[0]!.id : null;
}

/** The one candidate player with the same name, or the same surname and first initial ("H. Kane" ~ "Harry Kane"). */
export function matchPlayerByName(name: string, candidates: { id: number; name: string | null }[]): number | null {
  const key = nameKey(name);
  const exact = candidates.filter((c) => c.name && nameKey(c.name) === key);
  if (exact.length === 1) return exact[0]!.id;
  if (exact.length > 1) return null;
  const [initial, surname] = initialAndSurname(key);
  if (!surname) return null;
  const similar = candidates.filter((c) => {
    if (!c.name) return false;
    const [ci, cs] = initialAndSurname(nameKey(c.name));
    return cs === surname && (ci === initial || !ci || !initial);
  });
  return similar.length === 1 ? similar[0]!.id : null;
}

function initialAndSurname(key: string): [string, string] {
  const parts = key.split(" ").filter(Boolean);
  if (parts.length === 0) return ["", ""];
  if (parts.length === 1) return ["", parts[0]!];
  return [parts[0]![0]!, parts.at(-1)!];
}
