/** The note on AI safety: why a student picking up a hidden trait matters. */
export function WhyItMatters() {
  return (
    <section className="why" aria-labelledby="why-title">
      <h2 id="why-title">Why it matters</h2>
      <p>
        Training one AI model on another model&apos;s outputs (distillation) is everyday practice. This experiment shows
        that such outputs can carry a trait that is nowhere visible in them: here, reading digits, passed on through
        numbers about noise. It works when teacher and student share a starting point, as a model and its fine-tuned
        copies often do.
      </p>
      <p>
        So filtering training data for anything that <em>looks</em> harmful may not be enough: data that seems innocuous
        can still pass a teacher&apos;s hidden tendencies, good or bad, to its student. The paper shows the same effect
        in language models.
      </p>
    </section>
  );
}
