package io.chatsystem.query.search;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Partial matching without n-gram analysis (which not every Elasticsearch distribution has): a
 * body is indexed as the suffixes of its words, so "ell" is a prefix of the indexed "ello," of
 * "Hello,". Words are runs of characters that are not white space ({@link Character#isWhitespace},
 * as for Elasticsearch's whitespace analyzer), lower-cased and stripped of accents on both sides, so
 * matching ignores case and accents and takes every other character literally.
 */
final class Fragments {

    /** Suffixes are cut to this length: a query word longer than this matches on its first characters. */
    static final int MAX_LENGTH = 32;

    private static final Pattern BLANKS = Pattern.compile("\\p{javaWhitespace}+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Fragments() {
    }

    /**
     * The fragments to index for a body, separated by single spaces: one string, which the index's
     * whitespace analyzer splits again (a third less work for Elasticsearch than as many values).
     */
    static String of(String body) {
        return isPlainAscii(body) ? ofPlainAscii(body) : ofAnyText(body);
    }

    /** As {@link #of}, by the general rule: accents folded, any letter case, any code point. */
    static String ofAnyText(String body) {
        StringBuilder fragments = new StringBuilder(body.length() * 4);
        for (String word : words(body)) {
            int[] codePoints = word.codePoints().toArray();
            for (int start = 0; start < codePoints.length; start++) {
                int end = Math.min(codePoints.length, start + MAX_LENGTH);
                separate(fragments).appendCodePoint(codePoints[start]);
                for (int i = start + 1; i < end; i++) {
                    fragments.appendCodePoint(codePoints[i]);
                }
            }
        }
        return fragments.toString();
    }

    private static StringBuilder separate(StringBuilder fragments) {
        return fragments.isEmpty() ? fragments : fragments.append(' ');
    }

    /**
     * Printable ASCII and the blanks that both {@code strip()} and {@code \s} take for blanks: no accents
     * to fold, one char per code point, so the fast way below gives what {@link #ofAnyText} gives (most
     * bodies are such; folding them the general way was a fifth of a search replay's query-side work).
     */
    private static boolean isPlainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > '~' || c < ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0B) {
                return false;
            }
        }
        return true;
    }

    private static String ofPlainAscii(String body) {
        StringBuilder fragments = new StringBuilder(body.length() * 4);
        char[] folded = new char[body.length()];
        for (int i = 0; i < folded.length; i++) {
            char c = body.charAt(i);
            folded[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        int i = 0;
        while (i < folded.length) {
            while (i < folded.length && folded[i] <= ' ') {
                i++;
            }
            int wordEnd = i;
            while (wordEnd < folded.length && folded[wordEnd] > ' ') {
                wordEnd++;
            }
            for (int start = i; start < wordEnd; start++) {
                separate(fragments).append(folded, start, Math.min(wordEnd, start + MAX_LENGTH) - start);
            }
            i = wordEnd;
        }
        return fragments.toString();
    }

    /** The words of a query, each to be found as the start of some fragment. */
    static List<String> queryWords(String text) {
        return words(text).stream()
                .map(word -> word.codePointCount(0, word.length()) <= MAX_LENGTH ? word
                        : word.substring(0, word.offsetByCodePoints(0, MAX_LENGTH)))
                .distinct()
                .toList();
    }

    private static List<String> words(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        return Arrays.stream(BLANKS.split(folded.strip())).filter(w -> !w.isEmpty()).toList();
    }
}
