package io.chatsystem.command.wire;

import java.util.stream.Stream;

import io.chatsystem.api.common.Query;
import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.axon.wire.AppSerializers;
import io.chatsystem.axon.wire.WireContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every command the command side handles, every result, and every event its aggregates source from
 * survive the trip through Axon Server's wire with the command side's own serializers.
 */
class WireContractTest {

    @TestFactory
    Stream<DynamicTest> everyMessageSurvivesTheWire() {
        return WireContract.of(AppSerializers.load(), "io.chatsystem.command",
                        query -> ((Query<?>) query).responseType())
                .withExceptionDetails(RejectionReason.class)
                .tests();
    }
}
