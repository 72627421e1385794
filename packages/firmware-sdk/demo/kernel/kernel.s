; The Unitrace demo kernel, in UT32 machine code (packages/emulator/docs/ut32.md).
;
; The demo firmware loads this image at its link address (fw_cfg KERNEL_ADDR), writes the boot information block
; at BOOT_INFO and jumps to `start` with sp at the top of RAM. The kernel finds its hypercall registers (ports on
; the pc board, MMIO on virt), hands the host its trace handshake, reads its command line, runs a round-robin
; scheduler over a few tasks for a number of timer ticks, and halts with code 0.
;
; Tracing (packages/emulator/docs/channel-abi.md, hypercall channel): a tracepoint tests one bit of the state page
; the host keeps current; only an enabled event writes the mailbox and rings the doorbell, one exit per event.
;
; The build defines the trace constants from demo/kernel/trace-events: one symbol per event in upper case (its
; local id, e.g. KERNEL_TIMER), TRACE_EVENT_COUNT, and TRACE_HASH_0..7 (the catalog's SHA-256 as eight
; little-endian words), so a kernel built from another catalog is refused by the host, not misread.
;
; Calling convention: arguments in r1..r6, result in r1; a call may change r1..r9; r10..r14 survive; sp is r15.

        .equ    BOOT_INFO, 0x1000               ; the boot information block, written by the firmware
        .equ    BI_MAGIC, 0
        .equ    BI_CMDLINE_ADDR, 8
        .equ    BI_CMDLINE_LEN, 12
        .equ    BOOT_INFO_MAGIC, 0x49425455     ; "UTBI"

        .equ    HC_PORT, 0x5a0                  ; hypercall registers: pc ports ...
        .equ    HC_MMIO, 0x09100000             ; ... or virt MMIO
        .equ    HC_HANDSHAKE, 0
        .equ    HC_STATUS, 4
        .equ    HC_DOORBELL, 8
        .equ    HC_SIGNATURE, 12
        .equ    HC_SIGNATURE_VALUE, 0x43485455  ; "UTHC"
        .equ    MODE_PORTS, 0
        .equ    MODE_MMIO, 1
        .equ    MODE_NONE, 2

        .equ    HANDSHAKE_MAGIC, 0x53485455     ; "UTHS"
        .equ    ABI_VERSION, 1
        .equ    TRANSPORT_HYPERCALL, 2
        .equ    STATE_ACCEPTED, 1
        .equ    STATE_BY_NAME, 2
        .equ    MB_TIMESTAMP, 0
        .equ    MB_ARGS, 16
        .equ    MAILBOX_BYTES, 64
        .equ    STATUS_BYTES, 256

        .equ    DEFAULT_TASKS, 3
        .equ    DEFAULT_TICKS, 8
        .equ    MAX_TASKS, 8

; ------------------------------------------------------------------------------------------------------------------
start:
        call    hc_probe                        ; where the hypercall registers are
        call    trace_init                      ; the handshake: from here on, enabled events reach the host

        ; The command line (empty without boot information), then its tasks= and ticks= parameters.
        li      r9, BOOT_INFO
        ld32    r1, [r9+BI_MAGIC]
        li      r2, BOOT_INFO_MAGIC
        li      r10, empty
        bne     r1, r2, have_cmdline
        ld32    r10, [r9+BI_CMDLINE_ADDR]
have_cmdline:
        mov     r1, r10
        call    strlen
        mov     r11, r1                         ; r11 = command line length
        mov     r1, r10
        li      r2, key_tasks
        li      r3, DEFAULT_TASKS
        call    param
        mov     r12, r1                         ; r12 = tasks, 1..MAX_TASKS
        li      r2, 1
        bgeu    r12, r2, tasks_not_zero
        li      r12, 1
tasks_not_zero:
        li      r2, MAX_TASKS
        bgeu    r2, r12, tasks_ok
        li      r12, MAX_TASKS
tasks_ok:
        mov     r1, r10
        li      r2, key_ticks
        li      r3, DEFAULT_TICKS
        call    param
        mov     r13, r1                         ; r13 = ticks

        li      r1, KERNEL_START
        mov     r2, r11
        mov     r3, r12
        mov     r4, r13
        li      r9, hc_mode
        ld32    r5, [r9]
        call    trace

        ; The scheduler: r10 = current task, r11 = tick, r12 = tasks, r13 = ticks, r14 = next task.
        li      r10, 0
        li      r11, 0
tick_loop:
        beq     r11, r13, shutdown
        addi    r11, r11, 1
        rdtsc   r3, r4                          ; the timer interrupt, as this machine has none
        li      r1, KERNEL_TIMER
        mov     r2, r11
        call    trace
        addi    r14, r10, 1                     ; round robin
        bltu    r14, r12, switch
        li      r14, 0
switch:
        li      r1, KERNEL_TASK_SWITCH
        mov     r2, r10
        mov     r3, r14
        mov     r4, r11
        call    trace
        mov     r10, r14
        mov     r1, r10
        call    task_run
        jmp     tick_loop

shutdown:
        li      r1, KERNEL_HALT
        li      r2, 0
        mov     r3, r11
        call    trace
        halti   0

; ------------------------------------------------------------------------------------------------------------------
; task_run(r1 = task): (task + 1) * 64 rounds of a linear congruential generator seeded from the task number.
task_run:
        push    r10
        mov     r10, r1
        addi    r2, r1, 1
        shli    r2, r2, 6                       ; r2 = iterations
        mov     r7, r2
        li      r3, 0x9e3779b9
        mul     r3, r3, r1
        addi    r3, r3, 1                       ; r3 = x
        li      r4, 1103515245
        li      r8, 0
work_loop:
        mul     r3, r3, r4
        addi    r3, r3, 12345
        addi    r7, r7, -1
        bne     r7, r8, work_loop
        li      r1, KERNEL_TASK_WORK
        mov     r4, r3
        mov     r3, r2
        mov     r2, r10
        call    trace
        pop     r10
        ret

; ------------------------------------------------------------------------------------------------------------------
; Tracing. trace(r1 = event id, r2..r6 = arguments): one bit test when the event is off, one exit when it is on.
trace:
        li      r7, trace_ok
        ld32    r7, [r7]
        li      r8, 0
        beq     r7, r8, trace_off
        shri    r7, r1, 3                       ; state_page[id >> 3] bit (id & 7)
        li      r8, state_page
        add     r7, r7, r8
        ld8     r7, [r7]
        andi    r8, r1, 7
        shr     r7, r7, r8
        andi    r7, r7, 1
        li      r8, 0
        beq     r7, r8, trace_off
        li      r9, mailbox                     ; the record: guest clock and words (high halves stay 0)
        rdtsc   r7, r8
        st32    [r9+MB_TIMESTAMP], r7
        st32    [r9+MB_TIMESTAMP+4], r8
        st32    [r9+MB_ARGS], r2
        st32    [r9+MB_ARGS+8], r3
        st32    [r9+MB_ARGS+16], r4
        st32    [r9+MB_ARGS+24], r5
        st32    [r9+MB_ARGS+32], r6
        mov     r2, r1
        li      r1, HC_DOORBELL
        jmp     hc_write                        ; tail call: its ret returns to our caller
trace_off:
        ret

; trace_init: hands the host the handshake block and keeps tracing off unless the host accepted it.
trace_init:
        li      r4, hc_mode
        ld32    r4, [r4]
        li      r5, MODE_NONE
        beq     r4, r5, trace_init_done
        li      r1, HC_HANDSHAKE
        li      r2, handshake
        call    hc_write
        li      r1, HC_STATUS
        call    hc_read
        andi    r1, r1, 0xff
        li      r2, STATE_ACCEPTED
        beq     r1, r2, trace_init_ok
        li      r2, STATE_BY_NAME
        bne     r1, r2, trace_init_done
trace_init_ok:
        li      r4, trace_ok
        li      r5, 1
        st32    [r4], r5
trace_init_done:
        ret

; hc_probe: reads the signature register on the pc ports, then at the virt MMIO window, and sets hc_mode.
hc_probe:
        in32    r1, HC_PORT + HC_SIGNATURE
        li      r2, HC_SIGNATURE_VALUE
        li      r3, MODE_PORTS
        beq     r1, r2, hc_probe_done
        li      r4, HC_MMIO
        mmrd32  r1, [r4+HC_SIGNATURE]
        li      r3, MODE_MMIO
        beq     r1, r2, hc_probe_done
        li      r3, MODE_NONE
hc_probe_done:
        li      r4, hc_mode
        st32    [r4], r3
        ret

; hc_write(r1 = register offset, r2 = value) and hc_read(r1 = register offset) -> r1: one exit each.
hc_write:
        li      r4, hc_mode
        ld32    r4, [r4]
        li      r5, MODE_PORTS
        bne     r4, r5, hc_write_mmio
        addi    r1, r1, HC_PORT
        out32   r1, r2
        ret
hc_write_mmio:
        li      r5, HC_MMIO
        add     r1, r1, r5
        mmwr32  [r1], r2
        ret

hc_read:
        li      r4, hc_mode
        ld32    r4, [r4]
        li      r5, MODE_PORTS
        bne     r4, r5, hc_read_mmio
        addi    r1, r1, HC_PORT
        in32    r1, r1
        ret
hc_read_mmio:
        li      r5, HC_MMIO
        add     r1, r1, r5
        mmrd32  r1, [r1]
        ret

; ------------------------------------------------------------------------------------------------------------------
; Strings. strlen(r1 = string) -> r1 = bytes before its NUL.
strlen:
        mov     r2, r1
        li      r4, 0
strlen_loop:
        ld8     r3, [r2]
        beq     r3, r4, strlen_done
        addi    r2, r2, 1
        jmp     strlen_loop
strlen_done:
        sub     r1, r2, r1
        ret

; param(r1 = command line, r2 = key such as "ticks=", r3 = default) -> r1: the decimal value after the key at the
; start of a space-separated word, or the default when the key is absent or has no digits.
param:
        push    r10
        push    r11
        mov     r10, r1                         ; r10 = where the scan is
        mov     r11, r1                         ; r11 = start of the line
param_scan:
        beq     r10, r11, param_try
        ld8     r4, [r10-1]
        li      r5, ' '
        bne     r4, r5, param_next
param_try:
        mov     r6, r10
        mov     r7, r2
param_cmp:
        ld8     r8, [r7]
        li      r5, 0
        beq     r8, r5, param_found
        ld8     r9, [r6]
        bne     r8, r9, param_next
        addi    r6, r6, 1
        addi    r7, r7, 1
        jmp     param_cmp
param_next:
        ld8     r4, [r10]
        li      r5, 0
        beq     r4, r5, param_default
        addi    r10, r10, 1
        jmp     param_scan
param_found:
        mov     r1, r6
        call    atoi
        li      r5, 0
        bne     r2, r5, param_done
param_default:
        mov     r1, r3
param_done:
        pop     r11
        pop     r10
        ret

; atoi(r1 = digits) -> r1 = value, r2 = digits read. Leaves r3 alone (param's default).
atoi:
        li      r2, 0
        li      r4, 0
        li      r6, 10
atoi_loop:
        ld8     r5, [r1]
        addi    r5, r5, -'0'
        bgeu    r5, r6, atoi_done               ; unsigned: below '0' wraps to a large number
        mul     r4, r4, r6
        add     r4, r4, r5
        addi    r1, r1, 1
        addi    r2, r2, 1
        jmp     atoi_loop
atoi_done:
        mov     r1, r4
        ret

; ------------------------------------------------------------------------------------------------------------------
; Data.
key_tasks:
        .asciz  "tasks="
key_ticks:
        .asciz  "ticks="
empty:
        .byte   0

        .align  4
hc_mode:
        .word   MODE_NONE
trace_ok:
        .word   0

        .align  8
handshake:                                      ; 96 bytes, read by the host on HC_HANDSHAKE
        .word   HANDSHAKE_MAGIC                 ;  0 magic
        .half   ABI_VERSION                     ;  4 ABI version
        .half   TRANSPORT_HYPERCALL             ;  6 transport
        .word   TRACE_EVENT_COUNT               ;  8 events in this kernel's catalog
        .word   0                               ; 12 batch bytes (fw_cfg only)
        .word   state_page, 0                   ; 16 state page address (u64)
        .word   TRACE_HASH_0, TRACE_HASH_1, TRACE_HASH_2, TRACE_HASH_3
        .word   TRACE_HASH_4, TRACE_HASH_5, TRACE_HASH_6, TRACE_HASH_7 ; 24 catalog hash
        .word   0                               ; 56 names bytes: none, so a foreign catalog is refused
        .word   0                               ; 60 flags
        .word   0, 0                            ; 64 names address
        .word   mailbox, 0                      ; 72 mailbox address (u64)
        .word   status, 0                       ; 80 status block address (u64)
        .space  8                               ; 88 reserved
mailbox:
        .space  MAILBOX_BYTES
status:
        .space  STATUS_BYTES
state_page:                                     ; bit i of byte i/8: event i is enabled (kept by the host)
        .space  (TRACE_EVENT_COUNT + 7) / 8

        .entry  start
