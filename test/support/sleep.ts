// For letting real time pass (a lease, a preview or a trigger id expiring), never for waiting on
// work to finish: that is `eventually`.
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
