import { cn } from "../ui/cn";

/**
 * Who logged a run: the person whose token or session created it, or, for a run without one, the
 * login name the MLflow client reported (`mlflow.user`), marked as not being a Cairn account.
 */
export function RunAuthorName({ author, reported, className }: { author: { name: string; email: string } | null; reported: string; className?: string }) {
  if (author) {
    return (
      <span className={className} title={author.email}>
        {author.name}
      </span>
    );
  }
  if (!reported) return <span className={cn(className, "text-stone-400")}>unknown</span>;
  return (
    <span className={cn(className, "italic")} title="Reported by the MLflow client (mlflow.user); no Cairn account logged this run">
      {reported}
    </span>
  );
}
