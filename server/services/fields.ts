import { z } from "zod";
import { ROLES } from "../access/permissions";

/** Field schemas shared by every door (forms, tRPC, CLI), so a rule and its message exist once. */
export const emailField = z.string().trim().toLowerCase().max(254, "E-mail address is too long").pipe(z.email("Enter a valid e-mail address"));

export const passwordField = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters")
  .refine((p) => new Set(p).size >= 4, "Password is too simple: use more different characters");

export const personNameField = z.string().trim().min(1, "Enter a name").max(100, "Name must be at most 100 characters");

export const slugField = z
  .string()
  .trim()
  .min(2, "Slug must be at least 2 characters")
  .max(40, "Slug must be at most 40 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Slug may contain lower-case letters, digits and hyphens, and must start and end with a letter or digit");

export const projectNameField = z.string().trim().min(1, "Enter a project name").max(100, "Name must be at most 100 characters");
export const descriptionField = z.string().trim().max(2000, "Description must be at most 2000 characters");
export const roleField = z.enum(ROLES, { error: `Role must be one of ${ROLES.join(", ")}` });
export const uuidField = z.uuid("Not a valid id");
