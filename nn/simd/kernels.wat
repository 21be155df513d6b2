;; ConvLab's WebAssembly SIMD kernels: the hot loops of package nn's layers
;; (nn/simd_js.go calls them), for a whole batch per call.
;;
;; The module owns no memory: it imports the Go program's linear memory
;; ("go" "mem"), and every pointer argument is a byte address in it. All
;; tensors are row-major float64, laid out exactly as the Go layers keep them.
;;
;; Bit-identity with the pure-Go kernels (nn/matmul.go, nn/conv.go, ...):
;; every output element is computed by the same IEEE operations in the same
;; order as the Go code computes it, only several elements at a time (one
;; per f64x2 lane). No fused multiply-add is used (SIMD128 has none; Go
;; does not fuse on amd64), and a product's operand order does not matter
;; (IEEE multiplication is commutative). The few places where an operation
;; is skipped or reordered are argued exactly where they happen; they only
;; ever concern additions of an exact zero. The arguments assume finite
;; values: with an infinity or NaN in the data (a diverged run, which the
;; trainer stops at once) a skipped 0·∞ or a NaN's payload may differ.
;;
;; Convolutions use "same" zero padding, stride 1, odd kernel size k and
;; p = k/2. They work on zero-padded planes of ph = h+2p rows of pw = w+2p
;; values, and compute outputs on the padded pitch: output (y, x) of a plane
;; is entry q = y·pw + x of a vector of h·pw values, whose entries with
;; x ≥ w are never used. A tap (ky, kx) of output q then reads the padded
;; input at q + ky·pw + kx, one address per tap whatever the row, so eight
;; outputs are four f64x2 loads. Callers give the padded buffers k+8 values
;; of slack at the end, because the last vectors read past the last plane.

(module
  (import "go" "mem" (memory 1))

  ;; ---------------------------------------------------------------------
  ;; Helpers

  ;; pad_planes copies `planes` planes of h×w values from src into dst as
  ;; planes of (h+2p)×(w+2p) values with a zero border of width p.
  (func $pad_planes (param $src i32) (param $dst i32) (param $planes i32)
                    (param $h i32) (param $w i32) (param $p i32)
    (local $ph i32) (local $pw i32) (local $row i32) (local $rows i32) (local $to i32)
    (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 1))))
    (memory.fill (local.get $dst) (i32.const 0)
      (i32.shl (i32.mul (local.get $planes) (i32.mul (local.get $ph) (local.get $pw))) (i32.const 3)))
    ;; Source rows are consecutive; row r of plane r/h lands at padded row
    ;; (r/h)·ph + r%h + p, column p.
    (local.set $rows (i32.mul (local.get $planes) (local.get $h)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $to
          (i32.add
            (i32.mul
              (i32.add
                (i32.add
                  (i32.mul (i32.div_u (local.get $row) (local.get $h)) (local.get $ph))
                  (i32.rem_u (local.get $row) (local.get $h)))
                (local.get $p))
              (local.get $pw))
            (local.get $p)))
        (memory.copy
          (i32.add (local.get $dst) (i32.shl (local.get $to) (i32.const 3)))
          (i32.add (local.get $src) (i32.shl (i32.mul (local.get $row) (local.get $w)) (i32.const 3)))
          (i32.shl (local.get $w) (i32.const 3)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next))))

  ;; unpitch copies h rows of w values, read with pitch pw from src, to the
  ;; consecutive rows of dst.
  (func $unpitch (param $src i32) (param $dst i32) (param $h i32) (param $w i32) (param $pw i32)
    (local $y i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
        (memory.copy
          (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $y) (local.get $w)) (i32.const 3)))
          (i32.add (local.get $src) (i32.shl (i32.mul (local.get $y) (local.get $pw)) (i32.const 3)))
          (i32.shl (local.get $w) (i32.const 3)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $next))))

  ;; rows_axpy computes, for i < n,
  ;;   dst[i] = ((dst[i] + a_0·s_0[i]) + a_1·s_1[i]) + … + a_{count-1}·s_{count-1}[i]
  ;; with a_l = f64 at coef + l·coefStride and row s_l at src + l·srcStride
  ;; (strides in bytes): the Go addRows/axpy order, eight entries at a time.
  (func $rows_axpy (param $dst i32) (param $n i32) (param $coef i32) (param $coefStride i32)
                   (param $src i32) (param $srcStride i32) (param $count i32)
    (local $i i32) (local $l i32) (local $d i32) (local $s i32) (local $c i32) (local $a v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    ;; Blocks of eight entries.
    (block $blocksDone
      (loop $block
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r0 (v128.load offset=0 (local.get $d)))
        (local.set $r1 (v128.load offset=16 (local.get $d)))
        (local.set $r2 (v128.load offset=32 (local.get $d)))
        (local.set $r3 (v128.load offset=48 (local.get $d)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (local.get $coef))
        (local.set $l (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $l) (local.get $count)))
            (local.set $a (v128.load64_splat (local.get $c)))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $a) (v128.load offset=0 (local.get $s)))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $a) (v128.load offset=16 (local.get $s)))))
            (local.set $r2 (f64x2.add (local.get $r2) (f64x2.mul (local.get $a) (v128.load offset=32 (local.get $s)))))
            (local.set $r3 (f64x2.add (local.get $r3) (f64x2.mul (local.get $a) (v128.load offset=48 (local.get $s)))))
            (local.set $c (i32.add (local.get $c) (local.get $coefStride)))
            (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $row)))
        (v128.store offset=0 (local.get $d) (local.get $r0))
        (v128.store offset=16 (local.get $d) (local.get $r1))
        (v128.store offset=32 (local.get $d) (local.get $r2))
        (v128.store offset=48 (local.get $d) (local.get $r3))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $block)))
    ;; Pairs.
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r0 (v128.load (local.get $d)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (local.get $coef))
        (local.set $l (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $l) (local.get $count)))
            (local.set $r0 (f64x2.add (local.get $r0)
              (f64x2.mul (v128.load64_splat (local.get $c)) (v128.load (local.get $s)))))
            (local.set $c (i32.add (local.get $c) (local.get $coefStride)))
            (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $row)))
        (v128.store (local.get $d) (local.get $r0))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    ;; The last odd entry.
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (local.get $coef))
        (local.set $l (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $l) (local.get $count)))
            (f64.store (local.get $d) (f64.add (f64.load (local.get $d))
              (f64.mul (f64.load (local.get $c)) (f64.load (local.get $s)))))
            (local.set $c (i32.add (local.get $c) (local.get $coefStride)))
            (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $row))))))

  ;; ---------------------------------------------------------------------
  ;; Convolution

  ;; conv_forward: out = bias + Σ_taps w·in for a batch, "same" padding.
  ;;   in      batch × c × h × w
  ;;   padded  batch × c × ph × pw + (k+8) slack, written (Backward reads it)
  ;;   weight  oc × c × k × k;  bias oc
  ;;   out     batch × oc × h × w
  ;;   planes  scratch of 2·(h·pw + 8) values
  ;; Each output is s = bias; s += w_t·in_t over the taps t = (ch, ky, kx) in
  ;; that order (padding taps included, as products with +0): exactly the Go
  ;; path's im2col + mulAdd, which starts from the bias and adds one patch
  ;; row's product at a time. Output channels go in pairs, which share the
  ;; loads of the input; with an odd count the last is computed twice.
  (func $conv_forward (export "conv_forward")
    (param $in i32) (param $padded i32) (param $weight i32) (param $bias i32)
    (param $out i32) (param $planes i32)
    (param $batch i32) (param $c i32) (param $h i32) (param $w i32) (param $oc i32) (param $k i32)
    (local $p i32) (local $ph i32) (local $pw i32) (local $hw i32) (local $padBytes i32) (local $kernelBytes i32)
    (local $plane2 i32) (local $b i32) (local $o i32) (local $o2 i32) (local $src i32) (local $dst i32)
    (local.set $p (i32.shr_u (local.get $k) (i32.const 1)))
    (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $hw (i32.mul (local.get $h) (local.get $w)))
    (local.set $padBytes (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $ph) (local.get $pw))) (i32.const 3)))
    (local.set $kernelBytes (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $k) (local.get $k))) (i32.const 3)))
    (local.set $plane2 (i32.add (local.get $planes)
      (i32.shl (i32.add (i32.mul (local.get $h) (local.get $pw)) (i32.const 8)) (i32.const 3))))
    (call $pad_planes (local.get $in) (local.get $padded) (i32.mul (local.get $batch) (local.get $c))
      (local.get $h) (local.get $w) (local.get $p))
    (block $done
      (loop $example
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $src (i32.add (local.get $padded) (i32.mul (local.get $b) (local.get $padBytes))))
        (local.set $o (i32.const 0))
        (block $channelsDone
          (loop $channels
            (br_if $channelsDone (i32.ge_u (local.get $o) (local.get $oc)))
            (local.set $o2 (select (i32.add (local.get $o) (i32.const 1)) (local.get $o)
              (i32.lt_u (i32.add (local.get $o) (i32.const 1)) (local.get $oc))))
            (call $conv_forward_pair (local.get $src)
              (i32.add (local.get $weight) (i32.mul (local.get $o) (local.get $kernelBytes)))
              (i32.add (local.get $weight) (i32.mul (local.get $o2) (local.get $kernelBytes)))
              (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 3)))
              (i32.add (local.get $bias) (i32.shl (local.get $o2) (i32.const 3)))
              (local.get $planes) (local.get $plane2)
              (local.get $c) (local.get $ph) (local.get $pw) (local.get $k) (i32.mul (local.get $h) (local.get $pw)))
            (local.set $dst (i32.add (local.get $out)
              (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oc)) (local.get $o)) (local.get $hw)) (i32.const 3))))
            (call $unpitch (local.get $planes) (local.get $dst) (local.get $h) (local.get $w) (local.get $pw))
            (call $unpitch (local.get $plane2)
              (i32.add (local.get $dst) (i32.shl (i32.mul (i32.sub (local.get $o2) (local.get $o)) (local.get $hw)) (i32.const 3)))
              (local.get $h) (local.get $w) (local.get $pw))
            (local.set $o (i32.add (local.get $o) (i32.const 2)))
            (br $channels)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example))))

  ;; conv_forward_pair computes the outputs q < nq (padded pitch, eight at a
  ;; time) of one example for two kernels: dst0 from kernel0 and bias0, dst1
  ;; from kernel1 and bias1.
  (func $conv_forward_pair (param $src i32) (param $kernel0 i32) (param $kernel1 i32)
    (param $bias0 i32) (param $bias1 i32) (param $dst0 i32) (param $dst1 i32)
    (param $c i32) (param $ph i32) (param $pw i32) (param $k i32) (param $nq i32)
    (local $q i32) (local $ch i32) (local $ky i32) (local $kx i32) (local $wa i32) (local $wb i32) (local $at i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $va v128) (local $vb v128) (local $x v128)
    (loop $block
      (local.set $a0 (v128.load64_splat (local.get $bias0)))
      (local.set $a1 (local.get $a0))
      (local.set $a2 (local.get $a0))
      (local.set $a3 (local.get $a0))
      (local.set $b0 (v128.load64_splat (local.get $bias1)))
      (local.set $b1 (local.get $b0))
      (local.set $b2 (local.get $b0))
      (local.set $b3 (local.get $b0))
      (local.set $wa (local.get $kernel0))
      (local.set $wb (local.get $kernel1))
      (local.set $ch (i32.const 0))
      (loop $inChannel
        (local.set $ky (i32.const 0))
        (loop $tapRow
          (local.set $at (i32.add (local.get $src)
            (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $ph)) (local.get $ky)) (local.get $pw))
                       (local.get $q))
              (i32.const 3))))
          (local.set $kx (i32.const 0))
          (loop $tap
            (local.set $va (v128.load64_splat (local.get $wa)))
            (local.set $vb (v128.load64_splat (local.get $wb)))
            (local.set $x (v128.load offset=0 (local.get $at)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $va) (local.get $x))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $vb) (local.get $x))))
            (local.set $x (v128.load offset=16 (local.get $at)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $va) (local.get $x))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $vb) (local.get $x))))
            (local.set $x (v128.load offset=32 (local.get $at)))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $va) (local.get $x))))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $vb) (local.get $x))))
            (local.set $x (v128.load offset=48 (local.get $at)))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $va) (local.get $x))))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $vb) (local.get $x))))
            (local.set $wa (i32.add (local.get $wa) (i32.const 8)))
            (local.set $wb (i32.add (local.get $wb) (i32.const 8)))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
            (br_if $tap (i32.lt_u (local.get $kx) (local.get $k))))
          (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
          (br_if $tapRow (i32.lt_u (local.get $ky) (local.get $k))))
        (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
        (br_if $inChannel (i32.lt_u (local.get $ch) (local.get $c))))
      (local.set $at (i32.add (local.get $dst0) (i32.shl (local.get $q) (i32.const 3))))
      (v128.store offset=0 (local.get $at) (local.get $a0))
      (v128.store offset=16 (local.get $at) (local.get $a1))
      (v128.store offset=32 (local.get $at) (local.get $a2))
      (v128.store offset=48 (local.get $at) (local.get $a3))
      (local.set $at (i32.add (local.get $dst1) (i32.shl (local.get $q) (i32.const 3))))
      (v128.store offset=0 (local.get $at) (local.get $b0))
      (v128.store offset=16 (local.get $at) (local.get $b1))
      (v128.store offset=32 (local.get $at) (local.get $b2))
      (v128.store offset=48 (local.get $at) (local.get $b3))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br_if $block (i32.lt_u (local.get $q) (local.get $nq)))))

  ;; conv_backward adds the kernel and bias gradients of a batch and, when
  ;; wantInput is non-zero, writes the gradient with respect to the input.
  ;;   padded   the padded input written by conv_forward
  ;;   grad     ∂L/∂out, batch × oc × h × w
  ;;   weight   oc × c × k × k;  gweight, gbias: gradients, added to
  ;;   gin      batch × c × h × w, written (when wantInput)
  ;;   gpad     scratch of oc·ph·pw + k + 8 values
  ;;   list     scratch of 2·h·w values
  ;;   plane    scratch of h·pw + 8 values (at least 12)
  (func $conv_backward (export "conv_backward")
    (param $padded i32) (param $grad i32) (param $weight i32) (param $gweight i32) (param $gbias i32)
    (param $gin i32) (param $gpad i32) (param $list i32) (param $plane i32)
    (param $batch i32) (param $c i32) (param $h i32) (param $w i32) (param $oc i32) (param $k i32)
    (param $wantInput i32)
    (local $p i32) (local $ph i32) (local $pw i32) (local $hw i32) (local $padBytes i32) (local $kernelBytes i32)
    (local $b i32) (local $o i32) (local $src i32) (local $g i32)
    (local.set $p (i32.shr_u (local.get $k) (i32.const 1)))
    (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $hw (i32.mul (local.get $h) (local.get $w)))
    (local.set $padBytes (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $ph) (local.get $pw))) (i32.const 3)))
    (local.set $kernelBytes (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $k) (local.get $k))) (i32.const 3)))
    (block $done
      (loop $example
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $src (i32.add (local.get $padded) (i32.mul (local.get $b) (local.get $padBytes))))
        (local.set $g (i32.add (local.get $grad) (i32.shl (i32.mul (i32.mul (local.get $b) (local.get $oc)) (local.get $hw)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $channelsDone
          (loop $channel
            (br_if $channelsDone (i32.ge_u (local.get $o) (local.get $oc)))
            (call $conv_kernel_grad (local.get $src)
              (i32.add (local.get $g) (i32.shl (i32.mul (local.get $o) (local.get $hw)) (i32.const 3)))
              (i32.add (local.get $gweight) (i32.mul (local.get $o) (local.get $kernelBytes)))
              (i32.add (local.get $gbias) (i32.shl (local.get $o) (i32.const 3)))
              (local.get $list) (local.get $plane)
              (local.get $c) (local.get $h) (local.get $w) (local.get $ph) (local.get $pw) (local.get $k))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $channel)))
        (if (local.get $wantInput)
          (then
            (call $pad_planes (local.get $g) (local.get $gpad) (local.get $oc) (local.get $h) (local.get $w) (local.get $p))
            (call $conv_input_grad (local.get $gpad) (local.get $weight)
              (i32.add (local.get $gin) (i32.shl (i32.mul (i32.mul (local.get $b) (local.get $c)) (local.get $hw)) (i32.const 3)))
              (local.get $plane)
              (local.get $c) (local.get $h) (local.get $w) (local.get $ph) (local.get $pw) (local.get $oc) (local.get $k))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example))))

  ;; conv_kernel_grad adds one example's gradient for one output channel's
  ;; kernel (gweight, c × k × k) and bias, from that channel's gradient
  ;; plane g (h × w) and the padded input src.
  ;;
  ;; The Go path (mulAddTransB) computes, for each tap, s = 0; s += g[q]·in[q]
  ;; over the outputs q in order, then gweight += s. Here the outputs with
  ;; g = ±0 are skipped (after ReLU and max-pooling, most are): s starts at
  ;; +0, adding ±0 to +0 or to a non-zero s leaves s unchanged, and no sum of
  ;; non-zero products rounds to −0, so s is never −0 and every skipped
  ;; addition is a no-op. The bias gradient, gbias += (0 + g_0 + g_1 + …),
  ;; skips the same zeros.
  ;;
  ;; The non-zero gradients are first listed as (value, byte offset of the
  ;; output on the padded pitch), 16 bytes each. Then for each kernel row
  ;; pair and group of six kx, six f64x2 accumulators (lanes: neighbouring
  ;; kx) sum over the list; a pair of taps reads one f64x2 of the input.
  (func $conv_kernel_grad (param $src i32) (param $g i32) (param $gweight i32) (param $gbias i32)
    (param $list i32) (param $tmp i32)
    (param $c i32) (param $h i32) (param $w i32) (param $ph i32) (param $pw i32) (param $k i32)
    (local $y i32) (local $x i32) (local $lp i32) (local $end i32) (local $v f64) (local $t f64)
    (local $ch i32) (local $ky i32) (local $ky2 i32) (local $kx0 i32) (local $j i32) (local $n i32)
    (local $at i32) (local $at2 i32) (local $i i32) (local $row i32)
    (local $gv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128)
    ;; The list, and the bias gradient.
    (local.set $lp (local.get $list))
    (loop $gradRow
      (local.set $x (i32.const 0))
      (loop $gradCol
        (local.set $v (f64.load (local.get $g)))
        (if (f64.ne (local.get $v) (f64.const 0))
          (then
            (local.set $t (f64.add (local.get $t) (local.get $v)))
            (f64.store (local.get $lp) (local.get $v))
            (i32.store offset=8 (local.get $lp)
              (i32.shl (i32.add (i32.mul (local.get $y) (local.get $pw)) (local.get $x)) (i32.const 3)))
            (local.set $lp (i32.add (local.get $lp) (i32.const 16)))))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $gradCol (i32.lt_u (local.get $x) (local.get $w))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $gradRow (i32.lt_u (local.get $y) (local.get $h))))
    (local.set $end (local.get $lp))
    (f64.store (local.get $gbias) (f64.add (f64.load (local.get $gbias)) (local.get $t)))
    ;; The kernel gradient, rows ky and ky2 = ky+1 together (ky2 = ky, not
    ;; added, when k is odd and ky is the last row).
    (local.set $ch (i32.const 0))
    (loop $inChannel
      (local.set $ky (i32.const 0))
      (loop $tapRows
        (local.set $ky2 (select (i32.add (local.get $ky) (i32.const 1)) (local.get $ky)
          (i32.lt_u (i32.add (local.get $ky) (i32.const 1)) (local.get $k))))
        (local.set $kx0 (i32.const 0))
        (loop $tapGroup
          (local.set $at (i32.add (local.get $src)
            (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $ph)) (local.get $ky)) (local.get $pw))
                       (local.get $kx0))
              (i32.const 3))))
          (local.set $at2 (i32.add (local.get $at)
            (i32.shl (i32.mul (i32.sub (local.get $ky2) (local.get $ky)) (local.get $pw)) (i32.const 3))))
          (local.set $a0 (v128.const f64x2 0 0))
          (local.set $a1 (v128.const f64x2 0 0))
          (local.set $a2 (v128.const f64x2 0 0))
          (local.set $b0 (v128.const f64x2 0 0))
          (local.set $b1 (v128.const f64x2 0 0))
          (local.set $b2 (v128.const f64x2 0 0))
          (local.set $lp (local.get $list))
          (block $listDone
            (loop $entry
              (br_if $listDone (i32.ge_u (local.get $lp) (local.get $end)))
              (local.set $gv (v128.load64_splat (local.get $lp)))
              (local.set $j (i32.load offset=8 (local.get $lp)))
              (local.set $i (i32.add (local.get $at) (local.get $j)))
              (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $gv) (v128.load offset=0 (local.get $i)))))
              (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $gv) (v128.load offset=16 (local.get $i)))))
              (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $gv) (v128.load offset=32 (local.get $i)))))
              (local.set $i (i32.add (local.get $at2) (local.get $j)))
              (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $gv) (v128.load offset=0 (local.get $i)))))
              (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $gv) (v128.load offset=16 (local.get $i)))))
              (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $gv) (v128.load offset=32 (local.get $i)))))
              (local.set $lp (i32.add (local.get $lp) (i32.const 16)))
              (br $entry)))
          (v128.store offset=0 (local.get $tmp) (local.get $a0))
          (v128.store offset=16 (local.get $tmp) (local.get $a1))
          (v128.store offset=32 (local.get $tmp) (local.get $a2))
          (v128.store offset=48 (local.get $tmp) (local.get $b0))
          (v128.store offset=64 (local.get $tmp) (local.get $b1))
          (v128.store offset=80 (local.get $tmp) (local.get $b2))
          ;; gweight[ch][ky][kx0+j] += tmp[j] and, if ky2 > ky,
          ;; gweight[ch][ky2][kx0+j] += tmp[6+j], for j < 6 and kx0+j < k.
          (local.set $n (i32.sub (local.get $k) (local.get $kx0)))
          (local.set $n (select (i32.const 6) (local.get $n) (i32.gt_u (local.get $n) (i32.const 6))))
          (local.set $row (i32.add (local.get $gweight)
            (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $k)) (local.get $ky)) (local.get $k))
                       (local.get $kx0))
              (i32.const 3))))
          (local.set $j (i32.const 0))
          (loop $lane
            (local.set $i (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $i) (f64.add (f64.load (local.get $i))
              (f64.load (i32.add (local.get $tmp) (i32.shl (local.get $j) (i32.const 3))))))
            (if (i32.gt_u (local.get $ky2) (local.get $ky))
              (then
                (local.set $i (i32.add (local.get $i) (i32.shl (local.get $k) (i32.const 3))))
                (f64.store (local.get $i) (f64.add (f64.load (local.get $i))
                  (f64.load offset=48 (i32.add (local.get $tmp) (i32.shl (local.get $j) (i32.const 3))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $lane (i32.lt_u (local.get $j) (local.get $n))))
          (local.set $kx0 (i32.add (local.get $kx0) (i32.const 6)))
          (br_if $tapGroup (i32.lt_u (local.get $kx0) (local.get $k))))
        (local.set $ky (i32.add (local.get $ky) (i32.const 2)))
        (br_if $tapRows (i32.lt_u (local.get $ky) (local.get $k))))
      (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
      (br_if $inChannel (i32.lt_u (local.get $ch) (local.get $c)))))

  ;; conv_input_grad writes one example's input gradient gin (c × h × w)
  ;; from its padded gradient planes gpad (oc × ph × pw) and the kernels.
  ;;
  ;; The Go path (mulAddTransA + col2imAdd) computes each input value as
  ;; gin = 0; gin += t_tap over the taps in order, where t_tap is
  ;; Σ_o w[o][ch][tap]·g_o at the output that tap connects to, summed over o
  ;; in order from +0, for the taps whose output lies inside the image. Here
  ;; t starts from the first product, and taps whose output lies in the zero
  ;; border add a t of ±0. Both only differ from Go in the sign of a zero t,
  ;; and gin + (±0) = gin because gin starts at +0 and is never −0 (as
  ;; above), so the results are identical. Tap (ky, kx) of input q reads the
  ;; output at q + (2p−ky)·pw + (2p−kx), on the padded pitch.
  (func $conv_input_grad (param $gpad i32) (param $weight i32) (param $gin i32) (param $plane i32)
    (param $c i32) (param $h i32) (param $w i32) (param $ph i32) (param $pw i32) (param $oc i32) (param $k i32)
    (local $ch i32) (local $q i32) (local $ky i32) (local $kx i32) (local $o i32) (local $at i32) (local $wp i32)
    (local $planeBytes i32) (local $kernelBytes i32) (local $twoP i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $planeBytes (i32.shl (i32.mul (local.get $ph) (local.get $pw)) (i32.const 3)))
    (local.set $kernelBytes (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $k) (local.get $k))) (i32.const 3)))
    (local.set $twoP (i32.sub (local.get $k) (i32.const 1)))
    (loop $inChannel
      (local.set $q (i32.const 0))
      (loop $block
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $ky (i32.const 0))
        (loop $tapRow
          (local.set $kx (i32.const 0))
          (loop $tap
            ;; First output channel.
            (local.set $at (i32.add (local.get $gpad)
              (i32.shl
                (i32.add (local.get $q)
                  (i32.add
                    (i32.mul (i32.sub (local.get $twoP) (local.get $ky)) (local.get $pw))
                    (i32.sub (local.get $twoP) (local.get $kx))))
                (i32.const 3))))
            (local.set $wp (i32.add (local.get $weight)
              (i32.shl
                (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $k)) (local.get $ky)) (local.get $k))
                         (local.get $kx))
                (i32.const 3))))
            (local.set $wv (v128.load64_splat (local.get $wp)))
            (local.set $t0 (f64x2.mul (local.get $wv) (v128.load offset=0 (local.get $at))))
            (local.set $t1 (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $at))))
            (local.set $t2 (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $at))))
            (local.set $t3 (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $at))))
            ;; The other output channels, in order.
            (local.set $o (i32.const 1))
            (block $channelsDone
              (loop $channel
                (br_if $channelsDone (i32.ge_u (local.get $o) (local.get $oc)))
                (local.set $at (i32.add (local.get $at) (local.get $planeBytes)))
                (local.set $wp (i32.add (local.get $wp) (local.get $kernelBytes)))
                (local.set $wv (v128.load64_splat (local.get $wp)))
                (local.set $t0 (f64x2.add (local.get $t0) (f64x2.mul (local.get $wv) (v128.load offset=0 (local.get $at)))))
                (local.set $t1 (f64x2.add (local.get $t1) (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $at)))))
                (local.set $t2 (f64x2.add (local.get $t2) (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $at)))))
                (local.set $t3 (f64x2.add (local.get $t3) (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $at)))))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))
                (br $channel)))
            (local.set $a0 (f64x2.add (local.get $a0) (local.get $t0)))
            (local.set $a1 (f64x2.add (local.get $a1) (local.get $t1)))
            (local.set $a2 (f64x2.add (local.get $a2) (local.get $t2)))
            (local.set $a3 (f64x2.add (local.get $a3) (local.get $t3)))
            (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
            (br_if $tap (i32.lt_u (local.get $kx) (local.get $k))))
          (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
          (br_if $tapRow (i32.lt_u (local.get $ky) (local.get $k))))
        (local.set $at (i32.add (local.get $plane) (i32.shl (local.get $q) (i32.const 3))))
        (v128.store offset=0 (local.get $at) (local.get $a0))
        (v128.store offset=16 (local.get $at) (local.get $a1))
        (v128.store offset=32 (local.get $at) (local.get $a2))
        (v128.store offset=48 (local.get $at) (local.get $a3))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br_if $block (i32.lt_u (local.get $q) (i32.mul (local.get $h) (local.get $pw)))))
      (call $unpitch (local.get $plane)
        (i32.add (local.get $gin) (i32.shl (i32.mul (local.get $ch) (i32.mul (local.get $h) (local.get $w))) (i32.const 3)))
        (local.get $h) (local.get $w) (local.get $pw))
      (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
      (br_if $inChannel (i32.lt_u (local.get $ch) (local.get $c)))))

  ;; ---------------------------------------------------------------------
  ;; Dense

  ;; dense_forward: out[b] = bias + W·x[b] for a batch.
  ;;   x batch × n;  weight m × n;  bias m;  out batch × m
  ;;   scratch: n·m + m values (the transposed weights and one row of sums)
  ;; Go's mulAddTransB computes s = 0; s += x_i·w_i over i in order, then
  ;; out = bias + s. Here the weights are transposed first, so that the sums
  ;; of one example are neighbours and rows_axpy computes them with the
  ;; same additions, starting from a row of +0.
  (func $dense_forward (export "dense_forward")
    (param $x i32) (param $weight i32) (param $bias i32) (param $out i32) (param $scratch i32)
    (param $batch i32) (param $n i32) (param $m i32)
    (local $i i32) (local $j i32) (local $b i32) (local $sums i32) (local $from i32) (local $to i32)
    ;; scratch[i·m + j] = weight[j·n + i]
    (local.set $j (i32.const 0))
    (block $transposed
      (loop $row
        (br_if $transposed (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $from (i32.add (local.get $weight) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
        (local.set $to (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $i (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $i) (local.get $n)))
            (f64.store (local.get $to) (f64.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 8)))
            (local.set $to (i32.add (local.get $to) (i32.shl (local.get $m) (i32.const 3))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $col)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $row)))
    (local.set $sums (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $n) (local.get $m)) (i32.const 3))))
    (block $done
      (loop $example
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $m) (i32.const 3)))
        (call $rows_axpy (local.get $sums) (local.get $m)
          (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (local.get $n)) (i32.const 3))) (i32.const 8)
          (local.get $scratch) (i32.shl (local.get $m) (i32.const 3)) (local.get $n))
        (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $i (i32.shl (local.get $j) (i32.const 3)))
            (f64.store (i32.add (local.get $to) (local.get $i))
              (f64.add (f64.load (i32.add (local.get $bias) (local.get $i)))
                       (f64.load (i32.add (local.get $sums) (local.get $i)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example))))

  ;; dense_backward adds the weight and bias gradients of a batch and, when
  ;; wantInput is non-zero, writes the gradient with respect to the input.
  ;;   x batch × n;  weight m × n;  grad batch × m;  gweight m × n;  gbias m
  ;;   gin batch × n (written)
  ;; Go's order: gweight[j][i] += g[b][j]·x[b][i] over b in order (mulAddTransA),
  ;; gbias[j] += g[b][j] over b in order, gin[b][i] = 0 + Σ_j g[b][j]·w[j][i]
  ;; over j in order (mulAdd): each is one rows_axpy.
  (func $dense_backward (export "dense_backward")
    (param $x i32) (param $weight i32) (param $grad i32) (param $gweight i32) (param $gbias i32) (param $gin i32)
    (param $batch i32) (param $n i32) (param $m i32) (param $wantInput i32)
    (local $j i32) (local $b i32) (local $i i32) (local $row i32) (local $g i32) (local $to i32)
    (block $weightsDone
      (loop $unit
        (br_if $weightsDone (i32.ge_u (local.get $j) (local.get $m)))
        (call $rows_axpy
          (i32.add (local.get $gweight) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))) (local.get $n)
          (i32.add (local.get $grad) (i32.shl (local.get $j) (i32.const 3))) (i32.shl (local.get $m) (i32.const 3))
          (local.get $x) (i32.shl (local.get $n) (i32.const 3)) (local.get $batch))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $unit)))
    ;; gbias[j] += g[b][j], b in order.
    (block $biasDone
      (loop $example
        (br_if $biasDone (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $row (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $i (i32.shl (local.get $j) (i32.const 3)))
            (local.set $to (i32.add (local.get $gbias) (local.get $i)))
            (f64.store (local.get $to)
              (f64.add (f64.load (local.get $to)) (f64.load (i32.add (local.get $row) (local.get $i)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example)))
    (if (local.get $wantInput)
      (then
        (memory.fill (local.get $gin) (i32.const 0)
          (i32.shl (i32.mul (local.get $batch) (local.get $n)) (i32.const 3)))
        (local.set $b (i32.const 0))
        (block $inputDone
          (loop $example
            (br_if $inputDone (i32.ge_u (local.get $b) (local.get $batch)))
            (call $rows_axpy
              (i32.add (local.get $gin) (i32.shl (i32.mul (local.get $b) (local.get $n)) (i32.const 3))) (local.get $n)
              (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3))) (i32.const 8)
              (local.get $weight) (i32.shl (local.get $n) (i32.const 3)) (local.get $m))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $example))))))

  ;; ---------------------------------------------------------------------
  ;; ReLU

  ;; relu_forward: out = max(in, 0) over n values. f64.max, like Go's max,
  ;; gives +0 for −0 and NaN for NaN.
  (func $relu_forward (export "relu_forward") (param $in i32) (param $out i32) (param $n i32)
    (local $i i32) (local $at i32)
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (f64x2.max (v128.load (i32.add (local.get $in) (local.get $at))) (v128.const f64x2 0 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $at))
          (f64.max (f64.load (i32.add (local.get $in) (local.get $at))) (f64.const 0))))))

  ;; relu_backward: gin = gout where out > 0, else +0, over n values.
  (func $relu_backward (export "relu_backward") (param $out i32) (param $gout i32) (param $gin i32) (param $n i32)
    (local $i i32) (local $at i32)
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (v128.store (i32.add (local.get $gin) (local.get $at))
          (v128.and
            (f64x2.gt (v128.load (i32.add (local.get $out) (local.get $at))) (v128.const f64x2 0 0))
            (v128.load (i32.add (local.get $gout) (local.get $at)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $gin) (local.get $at))
          (select
            (f64.load (i32.add (local.get $gout) (local.get $at)))
            (f64.const 0)
            (f64.gt (f64.load (i32.add (local.get $out) (local.get $at))) (f64.const 0)))))))

  ;; ---------------------------------------------------------------------
  ;; Max pooling, 2×2, stride 2

  ;; pool_forward: each output is the largest of its window, compared in
  ;; reading order with ">" (ties and NaN keep the earlier value, as in Go);
  ;; argmax (int32) gets its offset within the example.
  ;;   in batch × c × h × w (h, w even);  out, argmax batch × c × h/2 × w/2
  ;; Two outputs at a time: the even and odd columns of the window rows,
  ;; separated by shuffles, are compared lane-wise and the winners picked
  ;; with bitselect, with no branch on the data.
  (func $pool_forward (export "pool_forward") (param $in i32) (param $out i32) (param $argmax i32)
    (param $batch i32) (param $c i32) (param $h i32) (param $w i32)
    (local $planes i32) (local $pl i32) (local $y i32) (local $x i32) (local $oh i32) (local $ow i32)
    (local $row i32) (local $first i32) (local $rowBytes i32)
    (local $top0 v128) (local $top1 v128) (local $bottom0 v128) (local $bottom1 v128)
    (local $best v128) (local $at v128) (local $idx v128) (local $v v128) (local $m v128)
    (local.set $oh (i32.shr_u (local.get $h) (i32.const 1)))
    (local.set $ow (i32.shr_u (local.get $w) (i32.const 1)))
    (local.set $rowBytes (i32.shl (local.get $w) (i32.const 3)))
    (local.set $planes (i32.mul (local.get $batch) (local.get $c)))
    (block $done
      (loop $plane
        (br_if $done (i32.ge_u (local.get $pl) (local.get $planes)))
        (local.set $y (i32.const 0))
        (block $rowsDone
          (loop $windowRow
            (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $oh)))
            ;; The window row's first input: its address, and its offset
            ;; within the example (planes of one example are consecutive).
            (local.set $first (i32.add
              (i32.mul (i32.rem_u (local.get $pl) (local.get $c)) (i32.mul (local.get $h) (local.get $w)))
              (i32.mul (i32.shl (local.get $y) (i32.const 1)) (local.get $w))))
            (local.set $row (i32.add (local.get $in)
              (i32.shl (i32.add (i32.mul (local.get $pl) (i32.mul (local.get $h) (local.get $w)))
                                (i32.mul (i32.shl (local.get $y) (i32.const 1)) (local.get $w))) (i32.const 3))))
            (local.set $x (i32.const 0))
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.gt_u (i32.add (local.get $x) (i32.const 2)) (local.get $ow)))
                (local.set $top0 (v128.load offset=0 (local.get $row)))
                (local.set $top1 (v128.load offset=16 (local.get $row)))
                (local.set $bottom0 (v128.load offset=0 (i32.add (local.get $row) (local.get $rowBytes))))
                (local.set $bottom1 (v128.load offset=16 (i32.add (local.get $row) (local.get $rowBytes))))
                ;; Offsets of the two windows' top-left inputs.
                (local.set $idx (i64x2.add
                  (i64x2.splat (i64.extend_i32_u (i32.add (local.get $first) (i32.shl (local.get $x) (i32.const 1)))))
                  (v128.const i64x2 0 2)))
                ;; top-left
                (local.set $best (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $top0) (local.get $top1)))
                (local.set $at (local.get $idx))
                ;; top-right
                (local.set $v (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $top0) (local.get $top1)))
                (local.set $m (f64x2.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                (local.set $at (v128.bitselect (i64x2.add (local.get $idx) (v128.const i64x2 1 1)) (local.get $at) (local.get $m)))
                ;; bottom-left
                (local.set $idx (i64x2.add (local.get $idx) (i64x2.splat (i64.extend_i32_u (local.get $w)))))
                (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $bottom0) (local.get $bottom1)))
                (local.set $m (f64x2.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                (local.set $at (v128.bitselect (local.get $idx) (local.get $at) (local.get $m)))
                ;; bottom-right
                (local.set $v (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $bottom0) (local.get $bottom1)))
                (local.set $m (f64x2.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                (local.set $at (v128.bitselect (i64x2.add (local.get $idx) (v128.const i64x2 1 1)) (local.get $at) (local.get $m)))
                (v128.store (local.get $out) (local.get $best))
                ;; The low halves of the two 64-bit offsets, as two int32.
                (v128.store64_lane 0 (local.get $argmax)
                  (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $at) (local.get $at)))
                (local.set $out (i32.add (local.get $out) (i32.const 16)))
                (local.set $argmax (i32.add (local.get $argmax) (i32.const 8)))
                (local.set $row (i32.add (local.get $row) (i32.const 32)))
                (local.set $x (i32.add (local.get $x) (i32.const 2)))
                (br $pair)))
            ;; An odd last window.
            (if (i32.lt_u (local.get $x) (local.get $ow))
              (then
                (call $pool_window (local.get $row) (local.get $rowBytes)
                  (i32.add (local.get $first) (i32.shl (local.get $x) (i32.const 1))) (local.get $w)
                  (local.get $out) (local.get $argmax))
                (local.set $out (i32.add (local.get $out) (i32.const 8)))
                (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $windowRow)))
        (local.set $pl (i32.add (local.get $pl) (i32.const 1)))
        (br $plane))))

  ;; pool_window pools one window whose top-left input is at src (offset
  ;; first within its example) into out and argmax.
  (func $pool_window (param $src i32) (param $rowBytes i32) (param $first i32) (param $w i32)
    (param $out i32) (param $argmax i32)
    (local $best f64) (local $at i32) (local $v f64)
    (local.set $best (f64.load (local.get $src)))
    (local.set $at (local.get $first))
    (local.set $v (f64.load offset=8 (local.get $src)))
    (if (f64.gt (local.get $v) (local.get $best))
      (then (local.set $best (local.get $v)) (local.set $at (i32.add (local.get $first) (i32.const 1)))))
    (local.set $v (f64.load (i32.add (local.get $src) (local.get $rowBytes))))
    (if (f64.gt (local.get $v) (local.get $best))
      (then (local.set $best (local.get $v)) (local.set $at (i32.add (local.get $first) (local.get $w)))))
    (local.set $v (f64.load offset=8 (i32.add (local.get $src) (local.get $rowBytes))))
    (if (f64.gt (local.get $v) (local.get $best))
      (then (local.set $best (local.get $v)) (local.set $at (i32.add (i32.add (local.get $first) (local.get $w)) (i32.const 1)))))
    (f64.store (local.get $out) (local.get $best))
    (i32.store (local.get $argmax) (local.get $at)))

  ;; pool_backward: gin = 0, then gin[argmax] += gout for each output
  ;; (as in Go: the add turns a −0 gradient into +0).
  ;;   gout, argmax: batch × outSize;  gin: batch × inSize (written)
  (func $pool_backward (export "pool_backward") (param $gout i32) (param $argmax i32) (param $gin i32)
    (param $batch i32) (param $inSize i32) (param $outSize i32)
    (local $b i32) (local $o i32) (local $base i32) (local $at i32)
    (memory.fill (local.get $gin) (i32.const 0)
      (i32.shl (i32.mul (local.get $batch) (local.get $inSize)) (i32.const 3)))
    (block $done
      (loop $example
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $base (i32.add (local.get $gin)
          (i32.shl (i32.mul (local.get $b) (local.get $inSize)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $rowDone
          (loop $output
            (br_if $rowDone (i32.ge_u (local.get $o) (local.get $outSize)))
            (local.set $at (i32.add (local.get $base) (i32.shl (i32.load (local.get $argmax)) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (local.get $gout))))
            (local.set $gout (i32.add (local.get $gout) (i32.const 8)))
            (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $output)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example))))
)
