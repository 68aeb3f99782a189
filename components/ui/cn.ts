import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Joins class names; a later Tailwind class overrides a conflicting earlier one (w-40 beats w-full). */
export const cn = (...values: ClassValue[]) => twMerge(clsx(values));
