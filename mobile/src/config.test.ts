import { apiUrls, pageOrigin } from "./config";

describe("apiUrls", () => {
  it.each([
    ["https://care.example.org", "https://care.example.org", "https://care.example.org/graphql", "wss://care.example.org/graphql"],
    ["https://care.example.org/", "https://care.example.org", "https://care.example.org/graphql", "wss://care.example.org/graphql"],
    ["http://10.0.2.2:8080", "http://10.0.2.2:8080", "http://10.0.2.2:8080/graphql", "ws://10.0.2.2:8080/graphql"],
    ["https://care.example.org/api", "https://care.example.org", "https://care.example.org/api/graphql", "wss://care.example.org/api/graphql"],
    ["https://care.example.org/api//", "https://care.example.org", "https://care.example.org/api/graphql", "wss://care.example.org/api/graphql"],
    ["HTTPS://Care.Example.org", "https://Care.Example.org", "https://Care.Example.org/graphql", "wss://Care.Example.org/graphql"],
    ["  https://care.example.org  ", "https://care.example.org", "https://care.example.org/graphql", "wss://care.example.org/graphql"],
  ])("%s", (configured, origin, httpUrl, wsUrl) => {
    expect(apiUrls(configured)).toEqual({ origin, httpUrl, wsUrl });
  });

  it("puts a path on the page's origin (web build)", () => {
    expect(apiUrls("/", "https://care.example.org")).toEqual({
      origin: "https://care.example.org",
      httpUrl: "https://care.example.org/graphql",
      wsUrl: "wss://care.example.org/graphql",
    });
    expect(apiUrls("/api/", "http://localhost:8081/").httpUrl).toBe("http://localhost:8081/api/graphql");
  });

  it("refuses a path without a page origin (a phone)", () => {
    expect(() => apiUrls("/")).toThrow(/only a web build/);
  });

  it.each(["ftp://care.example.org", "care.example.org", "", "not a url", "https://", "https://care example.org", "javascript:alert(1)", "https://care.example.org?x=1"])(
    "refuses %p",
    (configured) => {
      expect(() => apiUrls(configured)).toThrow(/must be an http\(s\) URL/);
    },
  );
});

describe("pageOrigin", () => {
  const g = globalThis as { location?: unknown };
  const saved = g.location;
  afterEach(() => {
    g.location = saved;
  });

  it("is the page's origin in a browser and undefined elsewhere", () => {
    g.location = { origin: "https://care.example.org" };
    expect(pageOrigin()).toBe("https://care.example.org");
    g.location = { origin: "file://" };
    expect(pageOrigin()).toBeUndefined();
    g.location = undefined;
    expect(pageOrigin()).toBeUndefined();
  });
});
