"use client";

import { useEffect } from "react";

/**
 * Sends a visitor who is not signed in to sign in, returning afterwards to the whole address they
 * asked for: its path and query, which a layout cannot know on the server, and its fragment (an
 * MLflow link's route), which the server never sees.
 */
export function SignInRedirect() {
  useEffect(() => {
    const here = window.location.pathname + window.location.search + window.location.hash;
    window.location.replace(`/signin?callbackUrl=${encodeURIComponent(here)}`);
  }, []);
  return <p className="p-8 text-sm text-stone-500">Taking you to sign in…</p>;
}
