// Name keys: how names are compared across providers (identity resolution of clubs and players).

/** Lower-case, accent- and punctuation-free key used to match names across providers. */
export function nameKey(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
