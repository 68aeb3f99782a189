/** The small label above a field of the rule form. */
export const smallLabel = "mb-1 block text-xs font-medium text-stone-600 dark:text-stone-400";
/** A field error under a field of the rule form. */
export const errorText = "mt-1 text-xs font-medium text-red-600 dark:text-red-400";
