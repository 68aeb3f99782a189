"use client";

import { ThemeProvider } from "next-themes";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { TrpcProvider } from "./trpc";

export function Providers({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
      <TrpcProvider>
        {children}
        <Toaster position="bottom-right" richColors closeButton />
      </TrpcProvider>
    </ThemeProvider>
  );
}
