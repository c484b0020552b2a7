/**
 * Presenter mode (`?present` in the link, or the button): larger type, settings and Explore folded,
 * the first screen filling the projector. It lives in the URL like the settings, so a lecturer can
 * prepare the link; the URL itself is written only by writeQuery (useUrlConfig.ts).
 */
import { useCallback, useState } from 'react';
import { readQuery } from './settings';
import { PRESENT_KEY, setPageKey } from './useUrlConfig';

export function usePresenter(): [boolean, () => void] {
  const [presenting, setPresenting] = useState(() => readQuery(window.location.search).has(PRESENT_KEY));
  const toggle = useCallback(() => {
    setPresenting((now) => {
      setPageKey(PRESENT_KEY, !now);
      return !now;
    });
  }, []);
  return [presenting, toggle];
}
