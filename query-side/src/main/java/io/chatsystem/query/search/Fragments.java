package io.chatsystem.query.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
     * whitespace analyzer splits again (a third less work for Elasticsearch than as many values). A word
     * that comes again adds nothing, nor does a long word's cut fragment that comes again: long repetitive
     * bodies ("😀" ten thousand times) stay small. Shorter suffixes that two words share are left twice.
     */
    static String of(String body) {
        return fragments(isPlainAscii(body) ? plainAsciiWords(body) : words(body), body.length());
    }

    /** As {@link #of}, by the general rule: accents folded, any letter case, any code point. */
    static String ofAnyText(String body) {
        return fragments(words(body), body.length());
    }

    private static String fragments(List<String> words, int bodyLength) {
        StringBuilder fragments = new StringBuilder(bodyLength * 4);
        Set<String> seenWords = new HashSet<>();
        for (String word : words) {
            if (!seenWords.add(word)) {
                continue;
            }
            // the suffixes of a word no longer than the cut all differ in length; a longer word's may repeat
            Set<String> seenCuts = word.length() > MAX_LENGTH ? new HashSet<>() : null;
            for (int start = 0; start < word.length(); start = word.offsetByCodePoints(start, 1)) {
                int end = endOfFragment(word, start);
                if (seenCuts == null || seenCuts.add(word.substring(start, end))) {
                    (fragments.isEmpty() ? fragments : fragments.append(' ')).append(word, start, end);
                }
            }
        }
        return fragments.toString();
    }

    /** Where the fragment starting at {@code start} ends: {@link #MAX_LENGTH} code points on, or the word's end. */
    private static int endOfFragment(String word, int start) {
        int end = start;
        for (int codePoints = 0; codePoints < MAX_LENGTH && end < word.length(); codePoints++) {
            end += Character.charCount(word.codePointAt(end));
        }
        return end;
    }

    /**
     * Printable ASCII and the ASCII blanks that {@link Character#isWhitespace} takes for white space: no accents
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

    private static List<String> plainAsciiWords(String body) {
        List<String> words = new ArrayList<>();
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
            if (wordEnd > i) {
                words.add(new String(folded, i, wordEnd - i));
            }
            i = wordEnd;
        }
        return words;
    }

    /** The words of a query, each to be found as the start of some fragment. */
    static List<String> queryWords(String text) {
        return words(text).stream()
                .map(word -> word.substring(0, endOfFragment(word, 0)))
                .distinct()
                .toList();
    }

    private static List<String> words(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        return Arrays.stream(BLANKS.split(folded.strip())).filter(w -> !w.isEmpty()).toList();
    }
}
