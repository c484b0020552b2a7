/** The page's last words: the paper it reproduces, and that nothing leaves the device. */
export function PageFooter() {
  return (
    <footer>
      <p>
        Reproduces the MNIST experiment of Cloud, Le, Chua et al.,{' '}
        <cite>Language models transmit behavioural traits through hidden signals in data</cite>, Nature 652, 615–621
        (2026), <a href="https://arxiv.org/abs/2507.14805">arXiv 2507.14805</a>. Everything runs on this device; nothing
        is sent anywhere.
      </p>
    </footer>
  );
}
