package io.chatsystem.query.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FragmentsTest {

    @Test
    void indexesEverySuffixOfEveryWordLowerCasedOneSpaceApart() {
        assertThat(Fragments.of("Hello, World!"))
                .isEqualTo("hello, ello, llo, lo, o, , world! orld! rld! ld! d! !");
    }

    @Test
    void aPartOfAWordIsThePrefixOfASuffix() {
        var fragments = tokens(Fragments.of("Hello, World!"));
        for (String word : Fragments.queryWords("ELL wor")) {
            assertThat(fragments).anyMatch(fragment -> fragment.startsWith(word));
        }
    }

    @Test
    void foldsAccentsOnBothSides() {
        assertThat(tokens(Fragments.of("Crème"))).contains("creme");
        assertThat(Fragments.queryWords("CRÈME brûlée")).containsExactly("creme", "brulee");
    }

    @Test
    void keepsPunctuationAndQuerySyntaxLiterally() {
        assertThat(Fragments.queryWords("C++ *:* \"x\" AND")).containsExactly("c++", "*:*", "\"x\"", "and");
        assertThat(Fragments.of("C++")).isEqualTo("c++ ++ +");
    }

    @Test
    void cutsFragmentsAndQueryWordsToTheSameLength() {
        String longWord = "x".repeat(100);
        assertThat(tokens(Fragments.of(longWord))).hasSize(Fragments.MAX_LENGTH).doesNotHaveDuplicates()
                .allMatch(f -> f.length() <= Fragments.MAX_LENGTH);
        assertThat(Fragments.queryWords(longWord)).containsExactly("x".repeat(Fragments.MAX_LENGTH));
    }

    @Test
    void aRepeatedWordOrCutFragmentAddsNothing() {
        assertThat(Fragments.of("ha ha HA")).isEqualTo("ha a");
        // the longest body there is, one character repeated: 32 fragments, not ten thousand
        assertThat(tokens(Fragments.of("😀".repeat(10_000)))).hasSize(Fragments.MAX_LENGTH).doesNotHaveDuplicates();
        String longWord = "abcdefghijklmnopqrstuvwxyz0123456789";
        assertThat(tokens(Fragments.of(longWord + " " + longWord))).hasSize(longWord.length()).doesNotHaveDuplicates();
    }

    @Test
    void countsEmojiAsOneCharacter() {
        assertThat(Fragments.of("a😀")).isEqualTo("a😀 😀");
    }

    @Test
    void plainAsciiTakesTheFastWayToTheSameFragments() {
        Random random = new Random(42);
        for (int round = 0; round < 10_000; round++) {
            String text = randomText(random, "aZ09 \t\n\r\f\u000B,.!~*\"Xy", 80) + (round % 10 == 0 ? "x".repeat(40) : "");
            assertThat(Fragments.of(text)).as("fragments of [%s]", text).isEqualTo(Fragments.ofAnyText(text));
        }
    }

    @Test
    void splitsWordsWhereTheIndexsWhitespaceAnalyzerSplitsThem() {
        // Elasticsearch's whitespace tokenizer splits at Character.isWhitespace: so must the words, or a
        // fragment holding such a character would be indexed as two and never found
        assertThat(Fragments.of("\u001CÉcole\u001C")).isEqualTo(Fragments.ofAnyText("\u001CÉcole\u001C"))
                .isEqualTo("ecole cole ole le e");
        assertThat(Fragments.of("a\u001Cb")).isEqualTo("a b");
        assertThat(Fragments.of("em\u2003space")).isEqualTo("em m space pace ace ce e");
        assertThat(Fragments.queryWords("em\u2003space")).containsExactly("em", "space");
        // not white space to Java, so not to the analyzer either: part of the word
        assertThat(Fragments.of("no\u00A0break")).isEqualTo("no\u00A0break o\u00A0break \u00A0break break reak eak ak k");
    }

    @Test
    void everyFragmentIsOneTokenOfTheIndex() {
        Random random = new Random(7);
        for (int round = 0; round < 5_000; round++) {
            String body = randomText(random, "aÉ😀 \t\u2003\u00A0\u001C\u3000,x", 40);
            String fragments = Fragments.of(body);
            assertThat(String.join(" ", tokens(fragments))).as("fragments of [%s]", body).isEqualTo(fragments);
        }
    }

    @Test
    void blankTextHasNoWords() {
        assertThat(Fragments.queryWords("  \t ")).isEmpty();
        assertThat(Fragments.of("")).isEmpty();
        assertThat(Fragments.of(" \u2003 ")).isEmpty();
    }

    /** Up to {@code maxLength} code points drawn from those of {@code alphabet}. */
    private static String randomText(Random random, String alphabet, int maxLength) {
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength); i > 0; i--) {
            text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return text.toString();
    }

    /** The tokens Elasticsearch's whitespace analyzer makes of a text: runs of code points not white space. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isWhitespace(c)) {
                if (!token.isEmpty()) {
                    tokens.add(token.toString());
                    token.setLength(0);
                }
            } else {
                token.appendCodePoint(c);
            }
        });
        if (!token.isEmpty()) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
