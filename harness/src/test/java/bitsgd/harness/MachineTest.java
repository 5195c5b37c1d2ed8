package bitsgd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineTest {
    @TempDir
    Path dir;

    private String read(String cpuinfo) throws IOException {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, cpuinfo);
        return Machine.read(f);
    }

    @Test
    void namesTheFirstProcessorWithItsFamilyAndModel() throws IOException {
        String two = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC\n\n"
                + "processor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: Other CPU\n";
        assertEquals("AMD EPYC (family 25, model 17)", read(two));
    }

    @Test
    void aNameWithoutNumbersStaysAsItIsAndNoNameIsTheArchitecture() throws IOException {
        assertEquals("Some CPU", read("processor\t: 0\nmodel name\t: Some CPU\n"));
        assertEquals(System.getProperty("os.arch"), read("processor\t: 0\nfeatures\t: fp asimd\n"));
        assertEquals(System.getProperty("os.arch"), Machine.read(dir.resolve("missing")));
    }

    @Test
    void thisMachineHasOne() {
        assertFalse(Machine.cpu().isBlank());
    }
}
