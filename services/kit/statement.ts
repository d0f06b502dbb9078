/** One SQL statement written as a tagged template: its values are bound (`$n`), never spliced. */
export type Statement = { readonly strings: readonly string[]; readonly values: readonly unknown[] };

/** `sql\`UPDATE ... WHERE "id" = ${id}::uuid\``: a {@link Statement}, to be composed into a larger one. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Statement {
  return { strings, values };
}

/** The statement's text with its values numbered from `$first` on (for a statement that is part of a larger one). */
export function statementText(statement: Statement, first = 1): string {
  return statement.strings.reduce((text, part, i) => (i === 0 ? part : `${text}$${i + first - 1}${part}`), "");
}

/**
 * Texts composed from a statement, per call site: a template's strings are one object per call
 * site, so each composed text is built once (and pg-tx prepares it once per connection).
 */
export function composedTextCache(): (statement: Statement, compose: () => string) => string {
  const texts = new WeakMap<readonly string[], string>();
  return (statement, compose) => {
    const known = texts.get(statement.strings);
    if (known !== undefined) return known;
    const text = compose();
    texts.set(statement.strings, text);
    return text;
  };
}
