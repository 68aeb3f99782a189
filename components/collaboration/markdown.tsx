import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { cn } from "../ui/cn";

// Raw HTML is never rendered (react-markdown drops it without rehype-raw); the sanitizer is the
// second fence, and lets one extra link scheme through: `user:`, which mentions use.
const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: [...(defaultSchema.protocols?.href ?? []), "user"] },
};

const MENTION_HREF = /^user:([0-9a-f-]{36})$/i;

type Node = { type: string; value?: string; url?: string; children?: Node[] };

/**
 * Marks mentions in the markdown tree: a `user:` link right after an `@` is a mention (the `@` joins
 * the chip); any other `user:` link is shown as its plain text, so only real mentions look like one.
 */
function remarkMentions() {
  const visit = (node: Node) => {
    const children = node.children;
    if (!children) return;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child.type === "link" && child.url?.startsWith("user:")) {
        const previous = children[i - 1];
        if (previous?.type === "text" && previous.value?.endsWith("@") && MENTION_HREF.test(child.url)) {
          previous.value = previous.value.slice(0, -1);
        } else {
          children.splice(i, 1, ...(child.children ?? []));
          i--;
        }
        continue;
      }
      visit(child);
    }
  };
  return (tree: Node) => visit(tree);
}

const urlTransform = (url: string) => (MENTION_HREF.test(url) ? url : defaultUrlTransform(url));

/** A same-site path (not `//host`), which may be loaded and followed without leaving Cairn. */
const isLocal = (url: string) => url.startsWith("/") && !url.startsWith("//");

function componentsFor(people: Record<string, string>): Components {
  return {
    a({ href = "", children }) {
      const mention = MENTION_HREF.exec(href);
      if (mention) {
        const name = people[mention[1]!.toLowerCase()];
        return name ? (
          <span className="rounded bg-brand-50 px-1 font-medium text-brand-700 dark:bg-brand-700/30 dark:text-brand-100" title={name}>
            @{name}
          </span>
        ) : (
          <span className="rounded bg-stone-100 px-1 text-stone-500 dark:bg-stone-800" title="Not a member of this project">
            @{children}
          </span>
        );
      }
      if (!href) return <span>{children}</span>;
      return isLocal(href) ? (
        <a href={href}>{children}</a>
      ) : (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
          {children}
        </a>
      );
    },
    // Only same-site images load (the CSP would block others anyway); the rest become links.
    img({ src, alt }) {
      const url = typeof src === "string" ? src : "";
      if (isLocal(url)) return <img src={url} alt={alt ?? ""} className="max-h-96 max-w-full rounded border border-stone-200 dark:border-stone-800" />;
      if (!url) return <span>{alt}</span>;
      return (
        <a href={url} target="_blank" rel="noopener noreferrer nofollow ugc">
          {alt || url}
        </a>
      );
    },
    table({ children }) {
      return (
        <div className="overflow-x-auto">
          <table>{children}</table>
        </div>
      );
    },
  };
}

const prose = cn(
  "min-w-0 text-sm leading-relaxed break-words",
  "[&>*+*]:mt-2 [&_h1]:text-base [&_h1]:font-semibold [&_h2]:text-base [&_h2]:font-semibold [&_h3]:font-semibold [&_h4]:font-semibold",
  "[&_a]:text-brand-700 [&_a]:underline [&_a]:underline-offset-2 dark:[&_a]:text-brand-100",
  "[&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li+li]:mt-0.5 [&_li>input]:mr-1.5",
  "[&_blockquote]:border-l-2 [&_blockquote]:border-stone-300 [&_blockquote]:pl-3 [&_blockquote]:text-stone-600 dark:[&_blockquote]:border-stone-700 dark:[&_blockquote]:text-stone-400",
  "[&_code]:font-mono [&_code]:text-[0.85em] [&_:not(pre)>code]:rounded [&_:not(pre)>code]:bg-stone-100 [&_:not(pre)>code]:px-1 [&_:not(pre)>code]:py-0.5 dark:[&_:not(pre)>code]:bg-stone-800",
  "[&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-stone-100 [&_pre]:p-3 dark:[&_pre]:bg-stone-950",
  "[&_table]:w-full [&_table]:border-collapse [&_table]:text-left [&_th]:border [&_th]:border-stone-200 [&_th]:bg-stone-50 [&_th]:px-2 [&_th]:py-1 [&_th]:font-medium [&_td]:border [&_td]:border-stone-200 [&_td]:px-2 [&_td]:py-1 dark:[&_th]:border-stone-700 dark:[&_th]:bg-stone-800 dark:[&_td]:border-stone-700",
  "[&_hr]:border-stone-200 dark:[&_hr]:border-stone-800",
);

/**
 * User-written markdown (comments, notes, descriptions), GitHub-flavoured (tables, task lists,
 * strikethrough, autolinks) and sanitized: no raw HTML, no script URLs, external links open in a
 * new tab without access to this page, and mentions shown as chips with the member's current name
 * (`people`: user id → name).
 */
export function CommentMarkdown({ source, people = {}, className }: { source: string; people?: Record<string, string>; className?: string }) {
  return (
    <div className={cn(prose, className)}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkMentions]}
        rehypePlugins={[[rehypeSanitize, schema]]}
        urlTransform={urlTransform}
        components={componentsFor(people)}
      >
        {source}
      </ReactMarkdown>
    </div>
  );
}
