package io.chatsystem.query.search;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FragmentsTest {

    @Test
    void indexesEverySuffixOfEveryWordLowerCased() {
        assertThat(Fragments.of("Hello, World!"))
                .containsExactly("hello,", "ello,", "llo,", "lo,", "o,", ",", "world!", "orld!", "rld!", "ld!", "d!", "!");
    }

    @Test
    void aPartOfAWordIsThePrefixOfASuffix() {
        var fragments = Fragments.of("Hello, World!");
        for (String word : Fragments.queryWords("ELL wor")) {
            assertThat(fragments).anyMatch(fragment -> fragment.startsWith(word));
        }
    }

    @Test
    void foldsAccentsOnBothSides() {
        assertThat(Fragments.of("Crème")).contains("creme");
        assertThat(Fragments.queryWords("CRÈME brûlée")).containsExactly("creme", "brulee");
    }

    @Test
    void keepsPunctuationAndQuerySyntaxLiterally() {
        assertThat(Fragments.queryWords("C++ *:* \"x\" AND")).containsExactly("c++", "*:*", "\"x\"", "and");
        assertThat(Fragments.of("C++")).containsExactly("c++", "++", "+");
    }

    @Test
    void cutsFragmentsAndQueryWordsToTheSameLength() {
        String longWord = "x".repeat(100);
        assertThat(Fragments.of(longWord)).allMatch(f -> f.length() <= Fragments.MAX_LENGTH);
        assertThat(Fragments.queryWords(longWord)).containsExactly("x".repeat(Fragments.MAX_LENGTH));
    }

    @Test
    void countsEmojiAsOneCharacter() {
        assertThat(Fragments.of("a😀")).containsExactly("a😀", "😀");
    }

    @Test
    void plainAsciiTakesTheFastWayToTheSameFragments() {
        Random random = new Random(42);
        String alphabet = "aZ09 \t\n\r\f\u000B,.!~*\"Xy";
        for (int round = 0; round < 10_000; round++) {
            StringBuilder body = new StringBuilder();
            for (int i = random.nextInt(80); i > 0; i--) {
                body.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (round % 10 == 0) {
                body.append("x".repeat(40));
            }
            String text = body.toString();
            assertThat(Fragments.of(text)).as("fragments of [%s]", text).containsExactlyElementsOf(Fragments.ofAnyText(text));
        }
    }

    @Test
    void textOutsidePlainAsciiTakesTheGeneralWay() {
        assertThat(Fragments.of("\u001CÉcole\u001C")).containsExactlyElementsOf(Fragments.ofAnyText("\u001CÉcole\u001C"))
                .contains("ecole");
        assertThat(Fragments.of("a\u001Cb")).containsExactly("a\u001Cb", "\u001Cb", "b");
    }

    @Test
    void blankTextHasNoWords() {
        assertThat(Fragments.queryWords("  \t ")).isEmpty();
        assertThat(Fragments.of("")).isEmpty();
    }
}
