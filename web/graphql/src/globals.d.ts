// The globals every CareQueue platform provides (browsers, React Native, Node 20+), declared here
// instead of through the "DOM" lib so that DOM-only APIs (window, document, localStorage) do not
// type-check in this package. Only what the package uses is declared.

interface CareQueueFetchResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  text(): Promise<string>;
}

interface CareQueueFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

declare function fetch(input: string, init?: CareQueueFetchInit): Promise<CareQueueFetchResponse>;
declare function setTimeout(callback: () => void, ms?: number): number;
declare function clearTimeout(id: number | undefined): void;
declare function setInterval(callback: () => void, ms?: number): number;
declare function clearInterval(id: number | undefined): void;
