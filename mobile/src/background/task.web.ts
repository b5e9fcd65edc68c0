// Browsers have no background tasks: the web build relies on the live socket while the tab is open.
export const REFRESH_TASK = "carequeue.refresh-tickets";

export async function setBackgroundRefresh(_on: boolean): Promise<void> {}
