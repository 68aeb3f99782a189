import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/caller";
import { getSessionActor } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  if ((await (await serverCaller()).setup.status()).needsSetup) redirect("/setup");
  redirect((await getSessionActor()).kind === "user" ? "/projects" : "/signin");
}
