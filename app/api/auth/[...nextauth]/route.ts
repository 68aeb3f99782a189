import type { NextRequest } from "next/server";
import { handlers } from "@/server/auth/next-auth";
import { atPublicOrigin } from "@/server/http/public-origin";

export const dynamic = "force-dynamic";

// Auth.js builds callback URLs from the request, so it must see the origin the browser used.
export const GET = (request: NextRequest) => handlers.GET(atPublicOrigin(request));
export const POST = (request: NextRequest) => handlers.POST(atPublicOrigin(request));
