// Svelte 5 understands <script lang="ts"> (type annotations only) without a preprocessor,
// and picks runes mode per file, so no options are needed here.
export default {};
