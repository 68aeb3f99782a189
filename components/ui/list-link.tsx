import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link in a list that can be long (runs, versions, requests), never prefetched. Next.js prefetches
 * every link that scrolls into view: a comparison of 100 runs asked the server for 200 pages while
 * it computed the one chart on screen, whose reply then took 860 ms against 350 ms alone.
 */
export function ListLink(props: Omit<ComponentProps<typeof Link>, "prefetch">) {
  return <Link {...props} prefetch={false} />;
}
