export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare function freePort(): Promise<number>;
export interface CareQueueProcess {
  url: string;
  log(): string;
  stop(): Promise<void>;
}
export declare function startCareQueue(options: {
  bin: string;
  dir: string;
  env?: Record<string, string>;
  readyWithinMs?: number;
}): Promise<CareQueueProcess>;
