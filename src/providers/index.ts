// The provider adapters, by canonical provider name.
import type { Provider } from "../domain/vocabulary";
import type { ProviderAdapter } from "./adapter";
import { apiFootball } from "./api-football";
import { footballData } from "./football-data";
import { openLigaDb } from "./openligadb";

export const ADAPTERS: Partial<Record<Provider, ProviderAdapter>> = {
  openligadb: openLigaDb,
  football_data: footballData,
  api_football: apiFootball,
};

export function adapterFor(provider: Provider): ProviderAdapter {
  const adapter = ADAPTERS[provider];
  if (!adapter) throw new Error(`no adapter for ${provider}`);
  return adapter;
}

/** Why a provider is left out of a job, for the log line the producer writes. */
export const MISSING_CONFIG: Record<Provider, string> = {
  openligadb: "",
  api_football: "API_FOOTBALL_KEY is not set",
  football_data: "FOOTBALL_DATA_TOKEN is not set",
};
