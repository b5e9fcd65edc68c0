import { routeForNotification, statusTokenFrom } from "./links";

const TOKEN = "AbCdEfGhIjKlMnOpQrStUv_-"; // 24 base64url characters, like the server's

describe("statusTokenFrom", () => {
  it.each([
    ["the app scheme", `carequeue://t/${TOKEN}`],
    ["the app scheme with a third slash", `carequeue:///t/${TOKEN}`],
    ["the scheme in capitals", `CAREQUEUE://t/${TOKEN}`],
    ["an https link", `https://care.example.org/t/${TOKEN}`],
    ["an http link with a port", `http://10.0.2.2:8080/t/${TOKEN}`],
    ["an https link under a path", `https://care.example.org/hospital/t/${TOKEN}`],
    ["a query", `https://care.example.org/t/${TOKEN}?utm=sms`],
    ["a fragment", `https://care.example.org/t/${TOKEN}#top`],
    ["a trailing slash", `https://care.example.org/t/${TOKEN}/`],
    ["a trailing slash and a query", `carequeue://t/${TOKEN}/?x=1`],
    ["an Expo Router path", `/t/${TOKEN}`],
    ["surrounding spaces", `  https://care.example.org/t/${TOKEN}\n`],
    ["a percent-encoded allowed character", `https://care.example.org/t/${TOKEN.slice(0, -1)}%2D`],
  ])("accepts %s", (_name, input) => {
    expect(statusTokenFrom(input)).toBe(TOKEN);
  });

  it("accepts the shortest and longest allowed tokens", () => {
    expect(statusTokenFrom(`/t/${"a".repeat(16)}`)).toBe("a".repeat(16));
    expect(statusTokenFrom(`/t/${"a".repeat(64)}`)).toBe("a".repeat(64));
  });

  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["null", null],
    ["undefined", undefined],
    ["another scheme", `ftp://care.example.org/t/${TOKEN}`],
    ["javascript:", `javascript:alert(1)//t/${TOKEN}`],
    ["javascript: with the app path", `javascript://t/${TOKEN}`],
    ["a data: URL", `data:text/html,/t/${TOKEN}`],
    ["a wrong path", `https://care.example.org/ticket/${TOKEN}`],
    ["a path that only ends in t", `https://care.example.org/at/${TOKEN}`],
    ["more after the token", `https://care.example.org/t/${TOKEN}/extra`],
    ["the app scheme with a host", `carequeue://evil.example/t/${TOKEN}`],
    ["a relative path without the slash", `t/${TOKEN}`],
    ["the bare token", TOKEN],
    ["a token too short", `/t/${"a".repeat(15)}`],
    ["a token too long", `/t/${"a".repeat(65)}`],
    ["a dot in the token", `/t/${TOKEN.slice(0, -1)}.`],
    ["a plus in the token", `/t/${TOKEN.slice(0, -1)}+`],
    ["an encoded slash", `https://care.example.org/t/${TOKEN.slice(0, 12)}%2F${TOKEN.slice(12)}`],
    ["an encoded dot-dot", `https://care.example.org/t/%2E%2E%2F${TOKEN}`],
    ["an encoded NUL", `/t/${TOKEN}%00`],
    ["a broken escape", `/t/${TOKEN}%E0%A4%A`],
    ["a double-encoded character", `/t/${TOKEN.slice(0, -1)}%252D`],
    ["a space in the host", `https://care example.org/t/${TOKEN}`],
    ["an empty segment before the token", `/t//${TOKEN}`],
    ["a link hidden in a query", `https://evil.example/go?to=/t/${TOKEN}`],
    ["a link hidden in a fragment", `https://evil.example/#/t/${TOKEN}`],
    ["5000 characters", `https://care.example.org/t/${"a".repeat(5000)}`],
    ["5000 characters of padding before a good link", `${" ".repeat(1)}https://care.example.org/${"x/".repeat(2500)}t/${TOKEN}`],
  ])("refuses %s", (_name, input) => {
    expect(statusTokenFrom(input)).toBeNull();
  });
});

describe("routeForNotification", () => {
  it.each([
    ["ticket_id", { ticket_id: "TK01HZX3Y5ABCDEFGH" }, "/ticket/TK01HZX3Y5ABCDEFGH"],
    ["ticketID", { ticketID: "TK01HZX3Y5ABCDEFGH" }, "/ticket/TK01HZX3Y5ABCDEFGH"],
    ["a status token", { status_token: TOKEN }, `/t/${TOKEN}`],
    ["a ticket id before a status token", { ticket_id: "TK01HZX3Y5ABCDEFGH", status_token: TOKEN }, "/ticket/TK01HZX3Y5ABCDEFGH"],
    ["a junk ticket id with a good status token", { ticket_id: "../settings", status_token: TOKEN }, `/t/${TOKEN}`],
  ])("opens %s", (_name, data, route) => {
    expect(routeForNotification(data)).toBe(route);
  });

  it.each([
    ["no data", undefined],
    ["null", null],
    ["an empty object", {}],
    ["a ticket id that is not one", { ticket_id: "../../settings" }],
    ["a lower-case id", { ticket_id: "tk01hzx3y5abcdefgh" }],
    ["an id too short", { ticket_id: "TK123" }],
    ["a number", { ticket_id: 12345678901234 }],
    ["an array", { ticket_id: ["TK01HZX3Y5ABCDEFGH"] }],
    ["a status token with a path", { status_token: `${TOKEN}/../x` }],
    ["a status token that is a link", { status_token: `https://evil.example/t/${TOKEN}` }],
    ["a status token too short", { status_token: "abc" }],
    ["a status token that is not a string", { status_token: 42 }],
  ])("ignores %s", (_name, data) => {
    expect(routeForNotification(data as Record<string, unknown> | null | undefined)).toBeNull();
  });
});
