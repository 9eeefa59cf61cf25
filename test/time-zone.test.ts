// `?tz=` on match lists and reads, across daylight-saving changes: the zone's calendar days (23 and 25 hours long,
// or starting after a skipped midnight), `kickoffLocal` with the offset in force at kickoff, and 400s naming `tz`.
// The expected instants are the tz database's published transitions (e.g. the EU changes at 01:00 UTC on the last
// Sunday of March and October), written out, not recomputed.
import { beforeAll, describe, expect, it } from "vitest";
import { localDayRange, toLocalIso } from "../src/api/time-zone";
import { api, json, override, resetAll, runIngest } from "./helpers";
import season2023 from "./fixtures/openligadb/getmatchdata/bl1/2023.json";

describe("time zone arithmetic (the runtime's tz database)", () => {
  it.each([
    // zone, day, first instant, first instant of the next day, hours
    ["Europe/Berlin", "2024-03-30", "2024-03-29T23:00:00Z", "2024-03-30T23:00:00Z", 24],
    ["Europe/Berlin", "2024-03-31", "2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z", 23], // spring forward 02:00 → 03:00
    ["Europe/Berlin", "2024-10-27", "2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z", 25], // fall back 03:00 → 02:00
    ["America/Santiago", "2024-09-08", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z", 23], // midnight skipped: starts at 01:00
    ["America/Santiago", "2024-04-06", "2024-04-06T03:00:00Z", "2024-04-07T04:00:00Z", 25], // 24:00 → 23:00 again
    ["Australia/Lord_Howe", "2024-04-07", "2024-04-06T13:00:00Z", "2024-04-07T13:30:00Z", 24.5], // a half-hour change
    ["Asia/Kathmandu", "2024-03-31", "2024-03-30T18:15:00Z", "2024-03-31T18:15:00Z", 24],
    ["UTC", "2024-03-31", "2024-03-31T00:00:00Z", "2024-04-01T00:00:00Z", 24],
  ])("%s %s starts at %s and lasts until %s (%s h)", (zone, day, start, end, hours) => {
    const r = localDayRange(day, zone);
    expect([r.start.toISOString(), r.end.toISOString()]).toEqual([start.replace("Z", ".000Z"), end.replace("Z", ".000Z")]);
    expect((r.end.getTime() - r.start.getTime()) / 3_600_000).toBe(hours);
  });

  it.each([
    ["2024-03-30T23:30:00Z", "Europe/Berlin", "2024-03-31T00:30:00+01:00"],
    ["2024-03-31T01:30:00Z", "Europe/Berlin", "2024-03-31T03:30:00+02:00"],
    ["2024-10-27T00:30:00Z", "Europe/Berlin", "2024-10-27T02:30:00+02:00"], // the first 02:30 of the day
    ["2024-10-27T01:30:00Z", "Europe/Berlin", "2024-10-27T02:30:00+01:00"], // and the second
    ["2024-09-08T04:00:00Z", "America/Santiago", "2024-09-08T01:00:00-03:00"],
    ["2024-03-10T03:30:00Z", "America/St_Johns", "2024-03-10T00:00:00-03:30"],
    ["2023-11-24T19:30:00Z", "UTC", "2023-11-24T19:30:00+00:00"],
  ])("%s in %s is %s", (instant, zone, local) => {
    expect(toLocalIso(new Date(instant), zone)).toBe(local);
  });
});

describe("?tz= on /v1/matches", () => {
  // Matchday 27 of BL1 2023/24 with two kickoffs moved next to the spring-forward night of 31 March 2024:
  // Bayern – Dortmund to Saturday 23:30 UTC (Sunday 00:30 in Berlin), Bochum – Köln to Sunday 22:15 UTC
  // (Monday 00:15 in Berlin: outside Berlin's 23-hour Sunday, inside the UTC Sunday).
  const SAT_LATE = "2024-03-30T23:30:00Z";
  const SUN_LATE = "2024-03-31T22:15:00Z";
  const matchday27 = season2023
    .filter((m) => m.group.groupOrderID === 27)
    .map((m) =>
      m.matchID === 66865 ? { ...m, matchDateTimeUTC: SAT_LATE, matchDateTime: "2024-03-31T00:30:00" } : m.matchID === 66871 ? { ...m, matchDateTimeUTC: SUN_LATE, matchDateTime: "2024-04-01T00:15:00" } : m,
    );
  const list = async (query: string) => {
    const res = await api(`/v1/matches?competition=BL1&season=2023&${query}`);
    expect(res.status, query).toBe(200);
    return (await json(res)).data as { id: number; kickoff: string; kickoffLocal?: string; home: { name: string } }[];
  };
  let bayern: { id: number };

  beforeAll(async () => {
    await resetAll();
    await override("/openligadb/getmatchdata/bl1/2023", matchday27);
    expect((await runIngest({ competition: "BL1", season: 2023 })).run.status).toBe("succeeded");
    bayern = (await list("matchday=27")).find((m) => m.kickoff === SAT_LATE)!;
    expect(bayern).toBeTruthy();
  });

  it("a match at 23:30 UTC on the last Saturday of March is listed under Sunday in Europe/Berlin", async () => {
    const utcSaturday = await list("date=2024-03-30");
    expect(utcSaturday.map((m) => m.kickoff)).toEqual([...Array(5).fill("2024-03-30T14:30:00Z"), SAT_LATE]);
    expect(utcSaturday.every((m) => !("kickoffLocal" in m))).toBe(true); // default UTC: no local field

    const berlinSaturday = await list("date=2024-03-30&tz=Europe/Berlin");
    expect(berlinSaturday.map((m) => m.kickoffLocal)).toEqual(Array(5).fill("2024-03-30T15:30:00+01:00"));

    const berlinSunday = await list("date=2024-03-31&tz=Europe/Berlin");
    expect(berlinSunday.map((m) => [m.kickoff, m.kickoffLocal])).toEqual([
      [SAT_LATE, "2024-03-31T00:30:00+01:00"],
      ["2024-03-31T13:30:00Z", "2024-03-31T15:30:00+02:00"],
      ["2024-03-31T15:30:00Z", "2024-03-31T17:30:00+02:00"],
    ]);
    expect(berlinSunday[0]!.id).toBe(bayern.id);

    // Berlin's Sunday had 23 hours: 22:15 UTC is already Monday there, still Sunday in UTC.
    expect((await list("date=2024-04-01&tz=Europe/Berlin")).map((m) => m.kickoffLocal)).toEqual(["2024-04-01T00:15:00+02:00"]);
    expect((await list("date=2024-03-31")).map((m) => m.kickoff)).toEqual(["2024-03-31T13:30:00Z", "2024-03-31T15:30:00Z", SUN_LATE]);
  });

  it("from/to days are days of the zone too; names are matched case-insensitively and answered canonically", async () => {
    const range = await list("from=2024-03-31&to=2024-03-31&tz=europe/berlin");
    expect(range.map((m) => m.kickoffLocal)).toEqual(["2024-03-31T00:30:00+01:00", "2024-03-31T15:30:00+02:00", "2024-03-31T17:30:00+02:00"]);
    // Times with an offset are instants whatever the zone.
    const window = await list("from=2024-03-31T00:00:00%2B01:00&to=2024-03-31T01:00:00%2B01:00&tz=America/New_York");
    expect(window.map((m) => [m.kickoff, m.kickoffLocal])).toEqual([[SAT_LATE, "2024-03-30T19:30:00-04:00"]]);
  });

  it("the match read and the live list take tz as well; a cached UTC body is not reused for a zone", async () => {
    const plain = await json(await api(`/v1/matches/${bayern.id}`));
    expect(plain.data.kickoff).toBe(SAT_LATE);
    expect("kickoffLocal" in plain.data).toBe(false);
    const tokyo = await json(await api(`/v1/matches/${bayern.id}?tz=Asia/Tokyo`));
    expect(tokyo.data).toMatchObject({ kickoff: SAT_LATE, kickoffLocal: "2024-03-31T08:30:00+09:00" });
    expect(Object.keys(tokyo.data).slice(6, 9)).toEqual(["kickoff", "kickoffLocal", "kickoffTentative"]);
    expect(tokyo.data.events.length).toBe(plain.data.events.length);
    expect((await api("/v1/matches/live?tz=Europe/Berlin")).status).toBe(200);
  });

  it.each([
    `/v1/matches?tz=Mars/Olympus`,
    `/v1/matches?date=2024-03-31&tz=%2B02:00`,
    `/v1/matches?tz=`,
    `/v1/matches/live?tz=Europe/Berlin/Mitte`,
    `/v1/matches/1?tz=CEST`,
  ])("an unknown zone is a 400 problem naming tz: %s", async (path) => {
    const res = await api(path);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await json(res);
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["query.tz"]);
    expect(problem.detail).toContain("query.tz: must be an IANA time zone name such as Europe/Berlin");
  });
});
