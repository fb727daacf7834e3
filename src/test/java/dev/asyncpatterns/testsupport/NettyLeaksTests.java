package dev.asyncpatterns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NettyLeaksTests {

    @Test
    void aBufferAllocatedByTheDriversParameterCodecIsTheKnownUpstreamLeak() {
        assertThat(NettyLeaks.isDriverBindParameter("""

                Recent access records:
                #1:
                \tio.netty.buffer.AdvancedLeakAwareByteBuf.writeInt(AdvancedLeakAwareByteBuf.java:569)
                \tdev.asyncpatterns.Somewhere.touched(Somewhere.java:1)
                Created at:
                \tio.netty.buffer.AdaptiveByteBufAllocator.newDirectBuffer(AdaptiveByteBufAllocator.java:67)
                \tio.netty.buffer.AbstractByteBufAllocator.buffer(AbstractByteBufAllocator.java:96)
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.doEncodeNumber(AbstractNumericCodec.java:109)
                \treactor.core.publisher.MonoSupplier$MonoSupplierSubscription.request(MonoSupplier.java:123)
                """)).isTrue();
    }

    @Test
    void anyOtherAllocationIsALeakThatFailsTheBuild() {
        // The driver's codec further down the stack is not where the buffer was allocated.
        assertThat(NettyLeaks.isDriverBindParameter("""

                Created at:
                \tio.netty.buffer.AbstractByteBufAllocator.buffer(AbstractByteBufAllocator.java:96)
                \treactor.netty.http.client.HttpClientOperations.onInboundNext(HttpClientOperations.java:700)
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.doEncodeNumber(AbstractNumericCodec.java:109)
                """)).isFalse();
        // The codec in an access record only: the buffer went through it, someone else allocated it.
        assertThat(NettyLeaks.isDriverBindParameter("""

                #1:
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.doEncodeNumber(AbstractNumericCodec.java:109)
                Created at:
                \tio.netty.buffer.AbstractByteBufAllocator.buffer(AbstractByteBufAllocator.java:96)
                \tdev.asyncpatterns.tcp.EchoHandler.channelRead(EchoHandler.java:40)
                """)).isFalse();
        assertThat(NettyLeaks.isDriverBindParameter("\nRecent access records: \n")).isFalse();
    }
}
