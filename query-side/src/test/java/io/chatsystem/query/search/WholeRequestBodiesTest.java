package io.chatsystem.query.search;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import co.elastic.clients.transport.http.TransportHttpClient.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WholeRequestBodiesTest {

    @Test
    void aBodyInManyBuffersIsSentAsOneWithTheSameBytes() {
        List<ByteBuffer> lines = new ArrayList<>();
        for (String line : List.of("{\"index\":{\"_id\":\"a\"}}", "\n", "{\"body\":\"héllo\"}", "\n")) {
            lines.add(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        }
        ByteBuffer offset = ByteBuffer.wrap("xx{\"index\":{\"_id\":\"b\"}}\n".getBytes(StandardCharsets.UTF_8));
        offset.position(2);
        lines.add(offset);
        Request request = new Request("POST", "/_bulk", Map.of("refresh", "false"), Map.of("Content-Type", "x"), lines);

        Request whole = WholeRequestBodies.whole(request);

        assertThat(whole.body()).hasSize(1);
        assertThat(text(whole.body().iterator().next()))
                .isEqualTo("{\"index\":{\"_id\":\"a\"}}\n{\"body\":\"héllo\"}\n{\"index\":{\"_id\":\"b\"}}\n");
        assertThat(whole.method()).isEqualTo("POST");
        assertThat(whole.path()).isEqualTo("/_bulk");
        assertThat(whole.queryParams()).isEqualTo(request.queryParams());
        assertThat(whole.headers()).isEqualTo(request.headers());
        // the client may send the request again (a retry): its own buffers are left as they were
        assertThat(offset.position()).isEqualTo(2);
        assertThat(lines.getFirst().position()).isZero();
    }

    @Test
    void aBodyInOneBufferOrNoneIsLeftAlone() {
        Request none = new Request("GET", "/_search", Map.of(), Map.of(), null);
        Request one = new Request("POST", "/_search", Map.of(), Map.of(), List.of(ByteBuffer.wrap(new byte[]{'{', '}'})));

        assertThat(WholeRequestBodies.whole(none)).isSameAs(none);
        assertThat(WholeRequestBodies.whole(one)).isSameAs(one);
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
