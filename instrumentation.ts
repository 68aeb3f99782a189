// Runs once when a Next.js server starts (never during `next build`).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server/startup");
  await startServer();
  // Development keeps every request in Next.js, whose reloads a door held outside it would miss.
  if (process.env.NODE_ENV === "production") (await import("./server/http/mlflow-door")).openMlflowDoor();
}
