/** Tailwind 4 runs as a PostCSS plugin; app/globals.css holds `@import "tailwindcss"`. */
export default {
  plugins: { "@tailwindcss/postcss": {} },
};
