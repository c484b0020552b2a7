/** Placeholder page until the classroom app lands: says what is coming and what works today. */
export function ComingSoon() {
  return (
    <main style={{ maxWidth: '42rem', margin: '4rem auto', padding: '0 1.5rem', font: '1.15rem/1.6 system-ui, sans-serif' }}>
      <h1>Subliminal</h1>
      <p>
        A teacher network learns to read handwritten digits. A student that starts from the same random weights imitates
        only the teacher&apos;s three extra, never-trained outputs, on pure noise, and still learns to read digits.
        A student from different weights does not.
      </p>
      <p>
        <strong>The classroom app is coming.</strong> The experiment already runs from the command line:{' '}
        <code>npm run experiment -- --preset quick</code>.
      </p>
    </main>
  );
}
