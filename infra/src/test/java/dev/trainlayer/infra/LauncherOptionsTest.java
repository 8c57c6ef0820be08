package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The launcher says what is wrong with its command line instead of starting something the user did not ask for. */
class LauncherOptionsTest {
    static final Set<String> DEV = Set.of("--ephemeral", "--real");

    @Test
    void knownOptionsPass() {
        assertNull(Launcher.unknownOption(new String[] {"dev"}, DEV));
        assertNull(Launcher.unknownOption(new String[] {"dev", "--ephemeral", "--host", "0.0.0.0"}, DEV));
        assertNull(Launcher.unknownOption(new String[] {"demo", "--host", "127.0.0.1"}, Set.of()));
    }

    @Test
    void unknownOptionsAndAMissingAddressAreNamed() {
        String typo = Launcher.unknownOption(new String[] {"dev", "--ephemral"}, DEV);
        assertTrue(typo.contains("'--ephemral'") && typo.contains("--ephemeral"), typo);
        assertTrue(Launcher.unknownOption(new String[] {"demo", "--real"}, Set.of()).contains("'--real'"));
        assertTrue(Launcher.unknownOption(new String[] {"dev", "--host"}, DEV).contains("--host needs an address"));
        assertTrue(Launcher.unknownOption(new String[] {"dev", "--host", "--ephemeral"}, DEV).contains("--host needs an address"));
    }

    @Test
    void portsFromTheEnvironmentFallBackToTheirDefaults() {
        assertEquals(8080, Launcher.port("TRAINLAYER_TEST_PORT_THAT_IS_NOT_SET", 8080));
    }
}
