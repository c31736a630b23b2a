// Test support: the fixtures for Kong and AWS API Gateway are documentation
// pages, and their samples are the fenced code blocks inside.

const FENCE = /^([ \t]*)```[^\n]*\n([\s\S]*?)^\1```/gm;

/** The fenced code blocks of a Markdown page, in order, each without the fence's own indentation. */
export function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  for (const m of markdown.matchAll(FENCE)) {
    const indent = m[1]!.length;
    blocks.push(m[2]!.split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n'));
  }
  return blocks;
}
