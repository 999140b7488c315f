#include "core/demo/demo_data.h"

namespace ft::demo {

namespace {

struct Country {
    const char* en;
    const char* capitalEn;
    const char* ko;
    const char* capitalKo;
};

constexpr Country kCountries[] = {
    {"France", "Paris", "프랑스", "파리"},        {"Japan", "Tokyo", "일본", "도쿄"},
    {"Korea", "Seoul", "한국", "서울"},           {"Italy", "Rome", "이탈리아", "로마"},
    {"Germany", "Berlin", "독일", "베를린"},      {"Spain", "Madrid", "스페인", "마드리드"},
    {"Egypt", "Cairo", "이집트", "카이로"},       {"Canada", "Ottawa", "캐나다", "오타와"},
    {"Peru", "Lima", "페루", "리마"},             {"Kenya", "Nairobi", "케냐", "나이로비"},
    {"Norway", "Oslo", "노르웨이", "오슬로"},     {"Vietnam", "Hanoi", "베트남", "하노이"},
};

struct Phrase {
    const char* en;
    const char* ko;
};

constexpr Phrase kPhrases[] = {
    {"Thank you.", "감사합니다."},       {"Good morning.", "좋은 아침입니다."},
    {"See you tomorrow.", "내일 봐요."}, {"I am learning Korean.", "저는 한국어를 배우고 있어요."},
    {"The model is training.", "모델이 학습 중입니다."}, {"Where is the station?", "역이 어디에 있나요?"},
};

} // namespace

std::vector<Pair> instructionPairs() {
    std::vector<Pair> pairs;
    for (const auto& c : kCountries) {
        pairs.push_back({std::string("What is the capital of ") + c.en + "?",
                         std::string("The capital of ") + c.en + " is " + c.capitalEn + "."});
        pairs.push_back({std::string(c.ko) + "의 수도는 어디인가요?", std::string(c.ko) + "의 수도는 " + c.capitalKo + "입니다."});
    }
    for (const auto& p : kPhrases) {
        pairs.push_back({std::string("Translate into Korean: ") + p.en, p.ko});
        pairs.push_back({std::string("영어로 번역하세요: ") + p.ko, p.en});
    }
    pairs.push_back({"What does LoRA train?", "LoRA trains two small matrices per layer while the base weights stay frozen."});
    pairs.push_back({"LoRA는 무엇을 학습하나요?", "LoRA는 기본 가중치를 고정하고 층마다 작은 행렬 두 개를 학습합니다."});
    pairs.push_back({"Why use QLoRA?", "QLoRA stores the frozen base in 4 bits so large models fit in less memory."});
    pairs.push_back({"QLoRA를 왜 쓰나요?", "QLoRA는 고정된 기본 모델을 4비트로 저장해서 메모리를 덜 씁니다."});
    return pairs;
}

} // namespace ft::demo
