package io.chatsystem.query.wire;

import java.util.Optional;
import java.util.stream.Stream;

import io.chatsystem.api.common.Query;
import io.chatsystem.api.common.QueryFailure;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.axon.wire.AppSerializers;
import io.chatsystem.axon.wire.WireContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every query the query side answers, every answer, every live-stream update, and every event its projections handle survive
 * the trip through Axon Server's wire with the query side's own serializers.
 */
class WireContractTest {

    @TestFactory
    Stream<DynamicTest> everyMessageSurvivesTheWire() {
        return WireContract.of(AppSerializers.load(), "io.chatsystem.query",
                        query -> ((Query<?>) query).responseType())
                .withSubscriptionUpdates(query -> query instanceof MessagesAfterQuery stream
                        ? Optional.of(stream.updateType()) : Optional.empty())
                .withExceptionDetails(QueryFailure.class)
                .tests();
    }
}
